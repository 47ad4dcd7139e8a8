package io.roomgate.query.web;

import io.roomgate.edge.ApiError;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.ErrorResponses;
import io.roomgate.query.view.StreamQuarantined;
import io.roomgate.query.view.ViewBehind;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The view's refusals in Daily's error shape (issue 17: the view throws its own exceptions, the
 * web edge translates): a view behind the writes a read must see is 503 {@code consistency-timeout}
 * ({@code Retry-After: 1} when too many reads wait already), a quarantined stream 503
 * {@code view-quarantined}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ViewRefusals {

    private final ErrorResponses errors;

    public ViewRefusals(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ViewBehind.class)
    public ResponseEntity<ApiError> behind(ViewBehind e) {
        ApiException answer = ApiException.consistencyTimeout(e.getMessage());
        return errors.api(e.crowded() ? answer.withHeader("Retry-After", "1") : answer);
    }

    @ExceptionHandler(StreamQuarantined.class)
    public ResponseEntity<ApiError> quarantined(StreamQuarantined e) {
        return errors.api(ApiException.quarantined(e.getMessage()));
    }
}
