package io.roomgate.query.web;

import io.roomgate.edge.ConsistencyToken;
import io.roomgate.query.view.ReadConsistency;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Arrays;
import java.util.List;

/**
 * The read API's consistency headers: a handler that takes a {@link ReadConsistency} gets it
 * from {@code X-Consistency} and {@code X-Consistency-Token}, and the OpenAPI document lists
 * both headers on it with what each level costs.
 */
@Configuration
public class ReadConsistencyWeb implements WebMvcConfigurer {

    static final String LEVEL_DESCRIPTION = """
            How fresh the answer must be. Absent or `full` (the default): the answer reflects every write \
            acknowledged before this request arrived, on any node; the read waits (at most \
            `roomgate.consistency.max-wait`, 2 s, then 503 `consistency-timeout`) until the view has applied \
            the store's newest event as of its arrival: one indexed read of the store's head, and on one \
            node usually no wait. `minimize-latency`: answer at once from the view as it is, which may miss \
            a write acknowledged milliseconds ago; for join servers that prefer speed. Cannot be combined \
            with X-Consistency-Token.""";
    static final String TOKEN_DESCRIPTION = """
            A write's consistency token (from its response's X-Consistency-Token header): the answer is at \
            least as fresh as that write and every write stored before it; waits as `full` does. Without \
            X-Consistency, sending a token reads at this level instead of `full`: it waits only for that \
            write, not for writes from other clients.""";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(ReadConsistency.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == ReadConsistency.class;
            }

            @Override
            public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                          WebDataBinderFactory binders) {
                return ReadConsistency.of(request.getHeader(ReadConsistency.HEADER), request.getHeader(ConsistencyToken.HEADER));
            }
        });
    }

    static final String OVERVIEW = """
            ## Consistency of reads

            Every read (room reads and lists, presence, token validation, knock reads, join checks, the \
            first answer of a knock feed) chooses how fresh it must be:

            | request sends | the answer reflects | costs |
            |---|---|---|
            | nothing, or `X-Consistency: full` (the default) | every write acknowledged before the request \
            arrived, on any node | one indexed read of the store's head; a wait only while the view has not \
            applied it (bounded: 503 `consistency-timeout` after `roomgate.consistency.max-wait`, 2 s) |
            | `X-Consistency-Token` (from a write's response) | that write and every write stored before it | as \
            `full`, waiting for that write only |
            | `X-Consistency: minimize-latency` | whatever the view holds now; may miss a write acknowledged \
            milliseconds ago | nothing |
            """;

    @Bean
    public org.springdoc.core.customizers.OpenApiCustomizer readConsistencyOverview() {
        return openApi -> {
            if (openApi.getInfo() == null) {
                openApi.setInfo(new io.swagger.v3.oas.models.info.Info().title("roomgate").version("v1"));
            }
            String before = openApi.getInfo().getDescription();
            openApi.getInfo().setDescription((before == null || before.isBlank() ? "" : before + "\n\n") + OVERVIEW);
        };
    }

    @Bean
    public OperationCustomizer readConsistencyHeaders() {
        return (operation, handler) -> {
            boolean reads = Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.getParameterType() == ReadConsistency.class);
            if (reads) {
                operation.addParametersItem(new HeaderParameter().name(ReadConsistency.HEADER).required(false)
                        .description(LEVEL_DESCRIPTION)
                        .schema(new StringSchema()._enum(List.of(ReadConsistency.FULL_VALUE, ReadConsistency.MINIMIZE_LATENCY_VALUE))
                                ._default(ReadConsistency.FULL_VALUE)));
                operation.addParametersItem(new HeaderParameter().name(ConsistencyToken.HEADER).required(false)
                        .description(TOKEN_DESCRIPTION).schema(new StringSchema()));
            }
            return operation;
        };
    }
}
