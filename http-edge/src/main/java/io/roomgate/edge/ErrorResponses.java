package io.roomgate.edge;

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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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
public class ErrorResponses implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

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
        // a refusal thrown while the body was read (the body limit, a strict reader), however deep Jackson wrapped it
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Rejected r) {
                return respond(fromRejection(r));
            }
            if (t instanceof ApiException a) {
                return respond(a);
            }
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
        return json(HttpStatus.METHOD_NOT_ALLOWED, new ApiError("invalid-request-error", "method " + e.getMethod() + " is not allowed here"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return json(HttpStatus.UNSUPPORTED_MEDIA_TYPE, new ApiError("invalid-request-error", "send the body as application/json"));
    }

    /** A Content-Type (or Accept) that is not a media type at all, such as a wildcard {@code *}{@code /*} body type. */
    @ExceptionHandler(org.springframework.http.InvalidMediaTypeException.class)
    public ResponseEntity<ApiError> invalidMediaType(org.springframework.http.InvalidMediaTypeException e) {
        return json(HttpStatus.UNSUPPORTED_MEDIA_TYPE, new ApiError("invalid-request-error", "send the body as application/json"));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return json(HttpStatus.NOT_ACCEPTABLE, new ApiError("invalid-request-error", "this endpoint answers application/json"));
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
        Throwable unavailable = databaseUnavailable(e);
        if (unavailable != null) {
            log.warn("database unavailable: {}", unavailable.getClass().getSimpleName());
            return respond(ApiException.unavailable("the database is unavailable; retry shortly"));
        }
        log.error("unexpected failure ({})", e.getClass().getName(), e);
        return json(HttpStatus.INTERNAL_SERVER_ERROR, new ApiError("server-error", "internal error"));
    }

    /**
     * The cause that says the database cannot be reached (a connection refused, closed or not to
     * be had from the pool, a server shutting down), however deep Axon, JPA or Spring wrapped it;
     * null if there is none. Such a failure is a 503 to retry, not a 500.
     */
    static Throwable databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.net.ConnectException) {
                return t;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P") || sql.getSQLState().equals("53300"))) {
                return t; // connection exception, operator intervention (shutdown), too many connections
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                    && sql.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection is closed")) {
                // a statement on a connection the server dropped a moment ago, reported without a state
                // (seen when the server shut down between two statements of one request)
                return t;
            }
        }
        return null;
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

    /**
     * The content type is set, not negotiated: an error is JSON whatever the request's
     * {@code Accept} says or the endpoint produces (an event stream, NDJSON), instead of a
     * failed negotiation turning a 4xx into an empty 500.
     */
    private static ResponseEntity<ApiError> respond(ApiException e) {
        ResponseEntity<ApiError> answer = json(e.status(), e.body());
        if (e.headerName() == null) {
            return answer;
        }
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(e.headerName(), e.headerValue()).body(answer.getBody());
    }

    private static ResponseEntity<ApiError> json(HttpStatus status, ApiError body) {
        return json(status.value(), body);
    }

    private static ResponseEntity<ApiError> json(int status, ApiError body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** Tomcat's own refusals (a URI it cannot decode, an encoded slash or NUL, TRACE) answer in Daily's shape too. */
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                host.setErrorReportValveClass(DailyErrorReportValve.class.getName());
            }
        });
    }

    /** Daily's error type for an HTTP status that nothing more specific explained. */
    static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication-error";
            case 403 -> "forbidden-error";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 429 -> "rate-limit-error";
            default -> status >= 500 ? "server-error" : "invalid-request-error";
        };
    }

    static String infoOf(int status) {
        return status >= 500 ? "internal error" : "the request was refused (HTTP " + status + ")";
    }

    /**
     * The servlet container's error path ({@code /error}) in Daily's shape instead of Spring Boot's
     * default body: for an error the container forwards there, and for a client that asks for
     * {@code /error} itself (a 404: there is no such endpoint).
     */
    @org.springframework.web.bind.annotation.RestController
    public static class DailyErrorController implements org.springframework.boot.web.servlet.error.ErrorController {

        @org.springframework.web.bind.annotation.RequestMapping("${server.error.path:/error}")
        public ResponseEntity<ApiError> error(jakarta.servlet.http.HttpServletRequest request) {
            Object code = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_STATUS_CODE);
            if (!(code instanceof Integer status) || status < 400) {
                return json(HttpStatus.NOT_FOUND, new ApiError("not-found", "no such endpoint"));
            }
            return json(status, new ApiError(typeOf(status), infoOf(status)));
        }
    }

    /**
     * Replaces Tomcat's HTML error page for what the connector refuses before Spring sees the
     * request. Says nothing of the request (its URI may hold a token) or of the server.
     */
    public static class DailyErrorReportValve extends org.apache.catalina.valves.ErrorReportValve {

        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        @Override
        protected void report(org.apache.catalina.connector.Request request, org.apache.catalina.connector.Response response,
                              Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String type = typeOf(status);
            String info = infoOf(status);
            if (status == 501 && !response.isCommitted()) {
                // Tomcat's answer to a Transfer-Encoding it does not know (identity, xchunked, ...):
                // the client's mistake, not the server's (issue 16, row 8)
                response.setStatus(400);
                type = "invalid-request-error";
                info = "unsupported Transfer-Encoding: send the body with Content-Length or Transfer-Encoding: chunked";
            }
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                java.io.Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(JSON.writeValueAsString(new ApiError(type, info)));
                    response.finishResponse();
                }
            } catch (java.io.IOException | IllegalStateException e) {
                // the client is gone or the response is already on its way: nothing more to say
            }
        }
    }
}
