package io.roomgate.platform;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.roomgate.access.Rejected;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.stream.Collectors;

/**
 * The one error writer of the API: every failure leaves in Daily's shape. Bad input is always a
 * 4xx; a 500 means a bug or an outage and says nothing about internals.
 */
@RestControllerAdvice
public class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ApiError> api(ApiException e) {
        return respond(e);
    }

    @ExceptionHandler(Rejected.class)
    public ResponseEntity<ApiError> rejected(Rejected e) {
        return respond(fromRejection(e));
    }

    /** Maps a domain refusal to Daily's error type. */
    public static ApiException fromRejection(Rejected e) {
        return switch (e.kind()) {
            case INVALID -> ApiException.invalidRequest(e.getMessage());
            case FORBIDDEN -> ApiException.forbidden(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
        };
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Rejected r) {
            return respond(fromRejection(r));
        }
        if (cause instanceof ApiException a) {
            return respond(a);
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return respond(ApiException.invalidRequest("unknown field '" + DailyJson.printable(String.valueOf(u.getPropertyName())) + "'"));
        }
        if (cause instanceof MismatchedInputException m && m.getOriginalMessage() != null
                && m.getOriginalMessage().startsWith("Trailing token")) {
            // more after the JSON value: the body as a whole is not one JSON document
            return respond(ApiException.jsonParsing("request body is not valid JSON"));
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            JsonMappingException m = (JsonMappingException) cause;
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return respond(ApiException.invalidRequest(field.isEmpty()
                    ? "request body has the wrong shape"
                    : "field '" + field + "' has the wrong type"));
        }
        if (cause instanceof JsonMappingException m && m.getCause() instanceof Rejected r) {
            return respond(fromRejection(r));
        }
        if (cause instanceof JsonParseException || cause instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            return respond(ApiException.jsonParsing("request body is not valid JSON"));
        }
        return respond(ApiException.jsonParsing("request body is missing or not valid JSON"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(ApiException.invalidRequest("parameter '" + e.getName() + "' has the wrong type"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return respond(ApiException.invalidRequest("parameter '" + e.getParameterName() + "' is required"));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    public ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e) {
        return respond(ApiException.invalidRequest("header '" + e.getHeaderName() + "' is required"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(new ApiError("invalid-request-error", "method " + e.getMethod() + " is not allowed here"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(new ApiError("invalid-request-error", "send the body as application/json"));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE)
                .body(new ApiError("invalid-request-error", "this endpoint answers application/json"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return respond(ApiException.notFound("no such endpoint"));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    public ResponseEntity<ApiError> noAggregate(AggregateNotFoundException e) {
        return respond(ApiException.notFound("not found"));
    }

    @ExceptionHandler({ConcurrencyException.class, DataIntegrityViolationException.class})
    public ResponseEntity<ApiError> lostRace(Exception e) {
        log.info("write lost a race: {}", e.getClass().getSimpleName());
        return respond(ApiException.conflict("a concurrent change won; retry the request"));
    }

    @ExceptionHandler(TransientDataAccessException.class)
    public ResponseEntity<ApiError> transientFailure(TransientDataAccessException e) {
        log.warn("database unavailable: {}", e.getClass().getSimpleName());
        return respond(ApiException.unavailable("the database is unavailable; retry shortly"));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiError> unexpected(Exception e) {
        Throwable root = rootCause(e);
        if (root instanceof Rejected r) {
            return respond(fromRejection(r));
        }
        if (root instanceof ApiException a) {
            return respond(a);
        }
        if (root instanceof java.sql.SQLTransientConnectionException || root instanceof java.net.ConnectException) {
            log.warn("database unavailable: {}", root.getClass().getSimpleName());
            return respond(ApiException.unavailable("the database is unavailable; retry shortly"));
        }
        log.error("unexpected failure ({})", e.getClass().getName(), e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(new ApiError("server-error", "internal error"));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10 && t.getCause() != null && t.getCause() != t; i++) {
            t = t.getCause();
            if (t instanceof Rejected || t instanceof ApiException) {
                return t;
            }
        }
        return t;
    }

    private static ResponseEntity<ApiError> respond(ApiException e) {
        return ResponseEntity.status(e.status()).body(e.body());
    }
}
