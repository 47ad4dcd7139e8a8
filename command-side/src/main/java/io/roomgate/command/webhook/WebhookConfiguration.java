package io.roomgate.command.webhook;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;

/** Webhooks: their own pooled processor fills the outbox; the dispatcher empties it. */
@Configuration
public class WebhookConfiguration {

    @Bean
    public WebhookStore webhookStore(JdbcTemplate jdbc) {
        return new WebhookStore(jdbc);
    }

    @Bean
    public WebhookUrls webhookUrls(@Value("${roomgate.webhooks.allow-http:false}") boolean allowHttp,
                                   @Value("${roomgate.webhooks.allow-private-addresses:false}") boolean allowPrivate) {
        return new WebhookUrls(allowHttp, allowPrivate);
    }

    @Bean
    public WebhookNotifications webhookNotifications(WebhookStore store, Clock clock) {
        return new WebhookNotifications(store, clock);
    }

    @Bean
    public ConfigurerModule webhookProcessing() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessor(WebhookNotifications.GROUP, c -> c.eventStore(),
                        (c, builder) -> builder.initialSegmentCount(1).batchSize(100))
                .registerListenerInvocationErrorHandler(WebhookNotifications.GROUP, c -> PropagatingErrorHandler.instance()));
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    public WebhookDispatcher webhookDispatcher(WebhookStore store, WebhookUrls urls, Clock clock,
                                               @Value("${roomgate.webhooks.max-attempts:8}") int maxAttempts,
                                               @Value("${roomgate.webhooks.first-backoff:PT1S}") Duration firstBackoff,
                                               @Value("${roomgate.webhooks.timeout:PT5S}") Duration timeout) {
        return new WebhookDispatcher(store, urls, clock, maxAttempts, firstBackoff, timeout);
    }
}
