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
 * connections and table names of the store, this node's id and the token store.
 * The storage engine itself is {@link EventStoreConfiguration}.
 */
// before Axon's JDBC auto-configuration, whose schema, connection and token store beans give way to these
@AutoConfiguration(before = {AxonAutoConfiguration.class, org.axonframework.springboot.autoconfig.JdbcAutoConfiguration.class})
@org.springframework.boot.context.properties.EnableConfigurationProperties(StoreProperties.class)
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
     * The store's connections: Spring's, so every statement of the event store and the token
     * store runs in the transaction Spring holds on the thread (the command's, or the processor
     * batch's, with the view's rows), and commits or rolls back with it. No unit-of-work wrapper
     * (Axon's default binds one connection to a unit of work and commits it itself): every call
     * to the stores runs inside a Spring transaction already, Axon's own or the caller's, and one
     * that opens a transaction of its own inside a unit of work must get that transaction's
     * connection.
     */
    @Bean
    @ConditionalOnMissingBean
    public org.axonframework.common.jdbc.ConnectionProvider connectionProvider(javax.sql.DataSource dataSource) {
        return new org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider(dataSource);
    }

    /** The event tables in the names the schema has had since V1 (Axon's JDBC defaults are camel case). */
    @Bean
    public org.axonframework.eventsourcing.eventstore.jdbc.EventSchema eventSchema() {
        return org.axonframework.eventsourcing.eventstore.jdbc.EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /** The token table in the names the schema has had since V1. */
    @Bean
    public org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema tokenSchema() {
        return org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /** This process's id in token claims: unique per start unless configured (two nodes must never share one). */
    @Bean
    public String roomgateNodeId(StoreProperties properties) {
        String configured = properties.nodeId();
        return configured.isBlank()
                ? java.lang.management.ManagementFactory.getRuntimeMXBean().getName() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8)
                : configured;
    }

    /**
     * Axon's JDBC token store on the token table, claiming under this node's id, with the claim
     * timeout that decides take-over; nodes may start together on a fresh database, and a claim
     * is extended only by the node holding it ({@link ConcurrentStartJdbcTokenStore}). Tokens are
     * serialized as before (the general serializer, as bytes), so the tokens stored by the JPA
     * store are read on.
     */
    @Bean
    public org.axonframework.eventhandling.tokenstore.TokenStore tokenStore(
            org.axonframework.common.jdbc.ConnectionProvider connectionProvider, Serializer serializer, String roomgateNodeId,
            org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema tokenSchema,
            StoreProperties properties,
            org.springframework.transaction.PlatformTransactionManager transactions, javax.sql.DataSource dataSource) {
        return new ConcurrentStartJdbcTokenStore(org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .contentType(byte[].class)
                .claimTimeout(properties.view().claimTimeout()), tokenSchema, roomgateNodeId, transactions, dataSource);
    }
}
