package io.roomgate.edge;

import io.roomgate.token.MeetingTokens;
import io.roomgate.token.SigningKeys;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP edge both services share: API keys and scopes, Daily's error shape, rate limits, slow
 * clients, the body limit, who called (copied onto the events a command causes), and the
 * meeting-token codec built from {@code roomgate.tokens.*}.
 */
@AutoConfiguration(before = {AxonAutoConfiguration.class,
        org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration.class})
@EnableConfigurationProperties({ApiKeys.class, TokenSettings.class, EdgeProperties.class})
public class EdgeConfiguration {

    /** Bodies of admin and join calls are small; anything near this is junk or an attack. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** Who did it and in which request: copied from each command onto the events it causes. */
    @Bean
    public CorrelationDataProvider callerCorrelation() {
        return new SimpleCorrelationDataProvider(Caller.ACTOR, Caller.REQUEST_ID);
    }

    @Bean
    public MeetingTokens meetingTokens(TokenSettings settings) {
        if (settings.getKeys().isEmpty()) {
            throw new IllegalStateException("no meeting-token signing key: set roomgate.tokens.keys.<key-id> "
                    + "(base64, at least 256 bits) and roomgate.tokens.signing-key-id");
        }
        if (settings.getDomainId() == null || settings.getDomainId().isBlank()) {
            throw new IllegalStateException("no domain id: set roomgate.tokens.domain-id");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        settings.getKeys().forEach((kid, base64) -> {
            try {
                keys.put(kid, Base64.getDecoder().decode(base64.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("roomgate.tokens.keys." + kid + " is not base64");
            }
        });
        String signing = settings.getSigningKeyId() != null ? settings.getSigningKeyId() : keys.keySet().iterator().next();
        return new MeetingTokens(new SigningKeys(keys, signing), settings.getDomainId());
    }

    /**
     * Daily's types, strictly: a number or boolean where a string belongs is a 400, not quietly
     * turned into text ({@code allow-coercion-of-scalars=false} does not cover strings).
     */
    @Bean
    public org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer strictStrings() {
        return builder -> builder.postConfigurer(mapper -> mapper.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail));
    }

    @Bean
    public ErrorResponses errorResponses() {
        return new ErrorResponses();
    }

    /** {@code /error} in Daily's shape; Spring Boot's own error controller then stands down. */
    @Bean
    public ErrorResponses.DailyErrorController dailyErrorController() {
        return new ErrorResponses.DailyErrorController();
    }

    /** Rate limits per API key and per client address (issue 16); Daily's documented limits by default. */
    @Bean
    public RateLimits rateLimits(EdgeProperties properties,
                                 org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        EdgeProperties.RateLimitSettings set = properties.rateLimits();
        RateLimits limits = new RateLimits(set.api().limit(), set.roomDelete().limit(), set.join().limit(),
                set.failedAuthentication().limit());
        io.micrometer.core.instrument.MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            limits.onRefusal(budget -> registry.counter("roomgate.rate.limit.refusals", "budget", budget).increment());
        }
        return limits;
    }

    /**
     * {@code /actuator/metrics} and {@code /actuator/prometheus} answer only an admin or audit key
     * (issue 19: they were open to anyone); health and info stay open for probes.
     */
    @Bean
    public FilterRegistrationBean<jakarta.servlet.Filter> metricsAccess(ApiKeys keys) {
        jakarta.servlet.Filter filter = (request, response, chain) -> {
            jakarta.servlet.http.HttpServletRequest http = (jakarta.servlet.http.HttpServletRequest) request;
            String header = http.getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                ErrorWriter.write((jakarta.servlet.http.HttpServletResponse) response,
                        ApiException.authorizationHeader("metrics need 'Authorization: Bearer <admin or audit key>'"));
                return;
            }
            var match = keys.find(header.substring(7).trim());
            if (match.isEmpty()) {
                ErrorWriter.write((jakarta.servlet.http.HttpServletResponse) response, ApiException.authentication("unknown API key"));
                return;
            }
            if (!match.get().scopes().contains(Scope.ADMIN) && !match.get().scopes().contains(Scope.AUDIT)) {
                ErrorWriter.write((jakarta.servlet.http.HttpServletResponse) response,
                        ApiException.forbidden("metrics need an admin or audit key"));
                return;
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<jakarta.servlet.Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/actuator/metrics", "/actuator/metrics/*", "/actuator/prometheus", "/actuator/prometheus/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    public WebMvcConfigurer apiKeyCheck(ApiKeys keys, RateLimits limits, EdgeProperties properties) {
        ApiKeyInterceptor interceptor = new ApiKeyInterceptor(keys, properties.rateLimits().enabled() ? limits : null);
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor).addPathPatterns("/v1/**");
            }
        };
    }

    /**
     * Every API answer may carry a meeting token, a webhook secret or a participant list: no
     * cache may keep it, and no browser may sniff it into something else (issue 16, row 13).
     */
    @Bean
    public FilterRegistrationBean<jakarta.servlet.Filter> noStoreFilter() {
        jakarta.servlet.Filter filter = (request, response, chain) -> {
            if (response instanceof jakarta.servlet.http.HttpServletResponse http) {
                http.setHeader("Cache-Control", "no-store");
                http.setHeader("X-Content-Type-Options", "nosniff");
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<jakarta.servlet.Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Slow clients (issue 16, row 2): requests in progress per client address, and unread bodies, bounded. */
    @Bean
    public org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory> slowClients(
            EdgeProperties properties) {
        EdgeProperties.Http http = properties.http();
        return factory -> factory.addEngineValves(new SlowClients(http.maxRequestsPerAddress(), http.unreadBodyTimeout(), 1024 * 1024));
    }

    @Bean
    public FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(
            EdgeProperties properties) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(MAX_BODY_BYTES, properties.http().bodyTimeout()));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
