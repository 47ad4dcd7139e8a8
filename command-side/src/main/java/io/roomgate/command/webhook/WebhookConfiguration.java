package io.roomgate.command.webhook;

import io.roomgate.command.CommandSideProperties;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** Webhooks: their own pooled processor fills the outbox; the dispatcher empties it. */
@Configuration
public class WebhookConfiguration {

    @Bean
    public WebhookStore webhookStore(JdbcTemplate jdbc, WebhookSecrets secrets) {
        WebhookStore store = new WebhookStore(jdbc, secrets);
        int encrypted = store.encryptStoredSecrets();
        if (encrypted > 0) {
            org.slf4j.LoggerFactory.getLogger(WebhookConfiguration.class)
                    .info("encrypted the signing secrets of {} webhooks under the current key (stored in plaintext or under an older key)", encrypted);
        }
        return store;
    }

    /**
     * The keys webhook secrets are encrypted under: {@code roomgate.webhooks.secret-keys.<id>} and
     * {@code .secret-key-id} if set, else keys derived from the meeting-token keys.
     */
    @Bean
    public WebhookSecrets webhookSecrets(CommandSideProperties properties, io.roomgate.edge.TokenSettings tokens) {
        var configured = properties.webhooks().secretKeys();
        if (!configured.isEmpty()) {
            java.util.Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
            configured.forEach((id, base64) -> keys.put(id, decode("roomgate.webhooks.secret-keys." + id, base64)));
            String current = properties.webhooks().secretKeyId() != null ? properties.webhooks().secretKeyId()
                    : keys.keySet().iterator().next();
            return new WebhookSecrets(keys, current);
        }
        java.util.Map<String, byte[]> tokenKeys = new java.util.LinkedHashMap<>();
        tokens.getKeys().forEach((kid, base64) -> tokenKeys.put(kid, decode("roomgate.tokens.keys." + kid, base64)));
        if (tokenKeys.isEmpty()) {
            throw new IllegalStateException("no key to encrypt webhook secrets with: set roomgate.tokens.keys.<key-id> "
                    + "or roomgate.webhooks.secret-keys.<id>");
        }
        String signing = tokens.getSigningKeyId() != null ? tokens.getSigningKeyId() : tokenKeys.keySet().iterator().next();
        return WebhookSecrets.derivedFrom(tokenKeys, signing);
    }

    private static byte[] decode(String property, String base64) {
        try {
            return java.util.Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64");
        }
    }

    @Bean
    public WebhookUrls webhookUrls(CommandSideProperties properties) {
        return new WebhookUrls(properties.webhooks().allowHttp(), properties.webhooks().allowPrivateAddresses());
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
                                               CommandSideProperties properties,
                                               org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        CommandSideProperties.Webhooks webhooks = properties.webhooks();
        return new WebhookDispatcher(store, urls, clock, webhooks.maxAttempts(), webhooks.firstBackoff(), webhooks.timeout())
                .meteredBy(meters.getIfAvailable());
    }
}
