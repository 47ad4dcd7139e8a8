package io.roomgate.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.events.EventJson;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;

/**
 * What every service's event store shares: the one clock (events are stamped by the clock that
 * decides), the event and snapshot serializers on private ObjectMappers, the upcasters, the
 * Hibernate dialect that stores payloads as binary columns, this node's id and the token store.
 * The storage engine itself is {@link EventStoreConfiguration}.
 */
@AutoConfiguration(before = AxonAutoConfiguration.class)
public class StoreConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Events are stamped by the same clock that decides, so tests that move time move both. */
    @Bean
    public Object eventClockBinding(Clock clock) {
        GenericEventMessage.clock = clock;
        return new Object();
    }

    @Bean
    @Primary
    public Serializer serializer() {
        return jackson(EventJson.newMapper());
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return jackson(EventJson.newMapper());
    }

    /**
     * Events are stored exactly as {@link EventJson} writes them (the golden files): no Jackson
     * default typing, whose type wrappers would make the stored JSON differ from the contract.
     * Events are records of plain values, so nothing in them needs it.
     */
    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return JacksonSerializer.builder().objectMapper(EventJson.newMapper()).build();
    }

    /**
     * Snapshots hold an aggregate's private fields ({@link EventJson#newSnapshotMapper()}); the
     * aggregate's {@code @Revision} is the snapshot's revision, and a snapshot of another revision
     * is never read.
     */
    @Bean
    @Qualifier("snapshotSerializer")
    public Serializer snapshotSerializer() {
        return JacksonSerializer.builder().objectMapper(EventJson.newSnapshotMapper()).build();
    }

    private static Serializer jackson(ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(mapper).defaultTyping().build();
    }

    /** Upcasters of old event revisions; Axon puts every such bean into the event store's chain. */
    @Bean
    public io.roomgate.store.upcasting.KnockRequestedUpcaster knockRequestedUpcaster() {
        return new io.roomgate.store.upcasting.KnockRequestedUpcaster();
    }

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * Picks the dialect that stores Axon's payloads as binary columns, from the JDBC URL, unless
     * one is configured.
     */
    @Bean
    public org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer binaryPayloadDialect(
            org.springframework.core.env.Environment environment) {
        return properties -> {
            if (properties.containsKey("hibernate.dialect") || environment.containsProperty("spring.jpa.database-platform")) {
                return;
            }
            String url = environment.getProperty("spring.datasource.url", "");
            if (url.startsWith("jdbc:postgresql:")) {
                properties.put("hibernate.dialect", io.roomgate.store.db.RoomgatePostgresDialect.class.getName());
            } else if (url.startsWith("jdbc:h2:")) {
                properties.put("hibernate.dialect", io.roomgate.store.db.RoomgateH2Dialect.class.getName());
            }
        };
    }

    /** This process's id in token claims: unique per start unless configured (two nodes must never share one). */
    @Bean
    public String roomgateNodeId(@org.springframework.beans.factory.annotation.Value("${roomgate.node-id:}") String configured) {
        return configured.isBlank()
                ? java.lang.management.ManagementFactory.getRuntimeMXBean().getName() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8)
                : configured;
    }

    /**
     * Axon's JPA token store, claiming under this node's id, with the claim timeout that decides
     * take-over; nodes may start together on a fresh database ({@link ConcurrentStartJpaTokenStore}).
     */
    @Bean
    public org.axonframework.eventhandling.tokenstore.TokenStore tokenStore(
            org.axonframework.common.jpa.EntityManagerProvider entityManagerProvider, Serializer serializer, String roomgateNodeId,
            @org.springframework.beans.factory.annotation.Value("${roomgate.view.claim-timeout:PT10S}") java.time.Duration claimTimeout,
            org.springframework.transaction.PlatformTransactionManager transactions) {
        return new ConcurrentStartJpaTokenStore(org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .nodeId(roomgateNodeId)
                .claimTimeout(claimTimeout), transactions, entityManagerProvider);
    }
}
