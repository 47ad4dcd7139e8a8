package io.roomgate.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Arrays;
import java.util.UUID;

/**
 * Authenticates every {@code /v1} call as Daily does: no Authorization header is a 400
 * {@code authorization-header-error}, an unknown key a 401, a key without the endpoint's scope
 * a 403. Records the caller for the event metadata.
 */
public class ApiKeyInterceptor implements HandlerInterceptor {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public ApiKeyInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
        if (required == null) {
            required = method.getBeanType().getAnnotation(RequiresScope.class);
        }
        if (required == null) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiException.authorizationHeader("Authorization header missing");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
            throw ApiException.authorizationHeader("Authorization header must be 'Bearer <api key>'");
        }
        ApiKeys.Match match = keys.find(header.substring(BEARER.length()).trim())
                .orElseThrow(() -> ApiException.authentication("unknown API key"));
        if (Arrays.stream(required.value()).noneMatch(match.scopes()::contains)) {
            throw ApiException.forbidden("this API key lacks the scope for this endpoint");
        }
        String requestId = request.getHeader("X-Request-Id");
        if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,128}")) {
            requestId = UUID.randomUUID().toString();
        }
        response.setHeader("X-Request-Id", requestId);
        Caller.set(new Caller(match.id(), requestId));
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        Caller.clear();
    }
}
