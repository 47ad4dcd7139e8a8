package io.roomgate.edge;

/**
 * A request refused at the API edge, with Daily's error type. Its info is shown to the caller,
 * so it never holds a token, a key or a stack trace.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    /** A header the answer carries besides the body (e.g. {@code Retry-After} on a 429). */
    private String headerName;
    private String headerValue;

    public ApiException(int status, String type, String info) {
        super(info, null, false, false);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The same refusal, answered with this header too. */
    public ApiException withHeader(String name, String value) {
        this.headerName = name;
        this.headerValue = value;
        return this;
    }

    public String headerName() {
        return headerName;
    }

    public String headerValue() {
        return headerValue;
    }

    public String type() {
        return type;
    }

    public ApiError body() {
        return new ApiError(type, getMessage());
    }

    public static ApiException invalidRequest(String info) {
        return new ApiException(400, "invalid-request-error", info);
    }

    public static ApiException jsonParsing(String info) {
        return new ApiException(400, "json-parsing-error", info);
    }

    public static ApiException authorizationHeader(String info) {
        return new ApiException(400, "authorization-header-error", info);
    }

    public static ApiException authentication(String info) {
        return new ApiException(401, "authentication-error", info);
    }

    public static ApiException forbidden(String info) {
        return new ApiException(403, "forbidden-error", info);
    }

    public static ApiException notFound(String info) {
        return new ApiException(404, "not-found", info);
    }

    public static ApiException conflict(String info) {
        return new ApiException(409, "conflict", info);
    }

    public static ApiException consistencyTimeout(String info) {
        return new ApiException(503, "consistency-timeout", info);
    }

    /** A read about a stream (room, member, token) the view could not apply: 503 until an operator retries it. */
    public static ApiException quarantined(String info) {
        return new ApiException(503, "view-quarantined", info);
    }

    public static ApiException unavailable(String info) {
        return new ApiException(503, "server-error", info);
    }
}
