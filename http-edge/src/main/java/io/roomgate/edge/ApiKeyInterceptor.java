package io.roomgate.edge;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Authenticates every {@code /v1} call as Daily does: no Authorization header is a 400
 * {@code authorization-header-error}, an unknown key a 401, a key without the endpoint's scope
 * a 403. Records the caller for the event metadata.
 */
public class ApiKeyInterceptor implements HandlerInterceptor {

    private static final String BEARER = "Bearer ";
    /** The request attribute holding the caller's scopes, for an endpoint whose answer depends on them. */
    public static final String SCOPES = ApiKeyInterceptor.class.getName() + ".scopes";

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ApiKeys keys;
    /** Null: no rate limits. */
    private final RateLimits limits;
    /**
     * What each handler method declares, read once: scanning its annotations on every request
     * was ~4 % of a join check's request time (BENCHMARKS.md, row 1).
     */
    private final Map<Handler, Declared> declared = new ConcurrentHashMap<>();

    /** A handler method as the controller it is called on (a scope may sit on the controller class). */
    private record Handler(Class<?> beanType, Method method) {
    }

    /** The scope a handler requires (null: none) and whether it declares what it produces. */
    private record Declared(RequiresScope scope, boolean declaresProduces) {
        static Declared of(HandlerMethod method) {
            RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
            if (required == null) {
                required = method.getBeanType().getAnnotation(RequiresScope.class);
            }
            RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequestMapping.class);
            return new Declared(required, mapping != null && mapping.produces().length > 0);
        }
    }

    public ApiKeyInterceptor(ApiKeys keys) {
        this(keys, null);
    }

    public ApiKeyInterceptor(ApiKeys keys, RateLimits limits) {
        this.keys = keys;
        this.limits = limits;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Declared declaration = declared.computeIfAbsent(new Handler(method.getBeanType(), method.getMethod()),
                key -> Declared.of(method));
        RequiresScope required = declaration.scope();
        if (required == null) {
            return true;
        }
        String address = request.getRemoteAddr();
        if (limits != null) {
            limits.requireAddressNotLocked(address);
        }
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw failedAuthentication(address, ApiException.authorizationHeader("Authorization header missing"));
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
            throw failedAuthentication(address, ApiException.authorizationHeader("Authorization header must be 'Bearer <api key>'"));
        }
        ApiKeys.Match match = keys.find(header.substring(BEARER.length()).trim())
                .orElseThrow(() -> failedAuthentication(address, ApiException.authentication("unknown API key")));
        if (Arrays.stream(required.value()).noneMatch(match.scopes()::contains)) {
            throw ApiException.forbidden("this API key lacks the scope for this endpoint");
        }
        if (limits != null) {
            limits.requireWithin(match.id(), category(request, required, match));
        }
        refuseUnreadableOrUnanswerable(request, declaration.declaresProduces());
        String requestId = request.getHeader("X-Request-Id");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            requestId = newRequestId();
        }
        response.setHeader("X-Request-Id", requestId);
        Caller.set(new Caller(match.id(), requestId));
        request.setAttribute(SCOPES, match.scopes());
        return true;
    }

    private ApiException failedAuthentication(String address, ApiException refusal) {
        if (limits != null) {
            limits.failedAuthentication(address);
        }
        return refusal;
    }

    /**
     * Which budget a request spends: Daily's lower one for deleting rooms, the join API's (join
     * checks, joins, knocks, called by join servers) when a join key calls it, else Daily's usual one.
     */
    private static RateLimits.Category category(HttpServletRequest request, RequiresScope required, ApiKeys.Match match) {
        if ("DELETE".equals(request.getMethod())
                && "/v1/rooms/{name}".equals(request.getAttribute(org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))) {
            return RateLimits.Category.ROOM_DELETE;
        }
        if (match.scopes().contains(Scope.JOIN) && Arrays.asList(required.value()).contains(Scope.JOIN)) {
            return RateLimits.Category.JOIN;
        }
        return RateLimits.Category.API;
    }

    /**
     * Refuses, before the handler runs, a request whose answer could not be written or whose body
     * could not be read: otherwise a write would be carried out and then answered with an error
     * (an {@code Accept} without JSON gave a 406 after the events were appended; a wildcard
     * {@code Content-Type} a 500). Endpoints that declare what they produce (event streams,
     * NDJSON) were already matched on {@code Accept} by Spring.
     */
    private static void refuseUnreadableOrUnanswerable(HttpServletRequest request, boolean declaresProduces) {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank()) {
            boolean usable;
            try {
                MediaType type = MediaType.parseMediaType(contentType);
                usable = !type.isWildcardType() && !type.isWildcardSubtype();
            } catch (InvalidMediaTypeException e) {
                usable = false;
            }
            if (!usable) {
                throw new ApiException(415, "invalid-request-error", "send the body as application/json");
            }
        }
        if (declaresProduces) {
            return;
        }
        Enumeration<String> accepts = request.getHeaders("Accept");
        boolean any = false;
        while (accepts != null && accepts.hasMoreElements()) {
            String accept = accepts.nextElement();
            if (accept == null || accept.isBlank()) {
                continue;
            }
            any = true;
            try {
                for (MediaType type : MediaType.parseMediaTypes(accept)) {
                    if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                        return;
                    }
                }
            } catch (InvalidMediaTypeException e) {
                // not a media type: it accepts nothing this endpoint answers
            }
        }
        if (any) {
            throw new ApiException(406, "invalid-request-error", "this endpoint answers application/json");
        }
    }

    /**
     * A random (version 4) UUID for a request that brought no id of its own. It only correlates
     * a request with its events and logs, so it needs to be unique, not unguessable: drawn from
     * the thread's generator instead of {@code SecureRandom} (1.6 % of a join check's request time).
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        Caller.clear();
    }
}
