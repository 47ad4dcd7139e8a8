package io.roomgate.store;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token store where Axon's JDBC store differs from the JPA one roomgate had: existing
 * segments stand, and a node extends only a claim it holds. On the store's own tables (the
 * event-store's H2 migrations), in memory.
 */
class ConcurrentStartJdbcTokenStoreTest {

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final DataSourceTransactionManager transactions;
    private final JdbcTemplate jdbc;

    ConcurrentStartJdbcTokenStoreTest() {
        dataSource.setURL("jdbc:h2:mem:tokens-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2").load().migrate();
        transactions = new DataSourceTransactionManager(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    private TokenStore store(String nodeId) {
        StoreConfiguration configuration = new StoreConfiguration();
        return new ConcurrentStartJdbcTokenStore(JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .serializer(configuration.serializer())
                .contentType(byte[].class)
                .claimTimeout(Duration.ofSeconds(10)), configuration.tokenSchema(), nodeId, transactions, dataSource);
    }

    private <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> work.get());
    }

    @Test
    void a_processor_that_has_segments_keeps_them() {
        TokenStore a = store("node-a");
        TokenStore b = store("node-b");
        inTransaction(() -> {
            a.initializeTokenSegments("view", 2, GapAwareTrackingToken.newInstance(7, List.of()));
            return null;
        });
        inTransaction(() -> {
            b.initializeTokenSegments("view", 4); // another node starting later: not an error
            return null;
        });

        assertThat(inTransaction(() -> b.fetchSegments("view"))).containsExactly(0, 1);
        assertThat(inTransaction(() -> b.fetchToken("view", 1))).isEqualTo(GapAwareTrackingToken.newInstance(7, List.of()));
    }

    @Test
    void a_claim_is_extended_only_by_the_node_that_holds_it() {
        TokenStore a = store("node-a");
        inTransaction(() -> {
            a.initializeTokenSegments("view", 1);
            return a.fetchToken("view", 0); // claimed by node-a
        });
        inTransaction(() -> {
            a.extendClaim("view", 0);
            return null;
        });

        // node-b took the segment over, and its own claim has since aged past the claim timeout
        jdbc.update("update token_entry set owner = 'node-b', timestamp = '2000-01-01T00:00:00Z' where processor_name = 'view'");
        assertThatThrownBy(() -> inTransaction(() -> {
            a.extendClaim("view", 0);
            return null;
        })).isInstanceOf(UnableToClaimTokenException.class);
        assertThat(jdbc.queryForObject("select owner from token_entry where processor_name = 'view'", String.class))
                .as("node-a's work package learns it lost the segment; it does not take it back").isEqualTo("node-b");
    }

    @Test
    void a_token_is_stored_only_by_the_node_that_holds_the_claim() {
        TokenStore a = store("node-a");
        inTransaction(() -> {
            a.initializeTokenSegments("view", 1);
            return a.fetchToken("view", 0); // claimed by node-a
        });
        org.axonframework.eventhandling.GlobalSequenceTrackingToken applied =
                new org.axonframework.eventhandling.GlobalSequenceTrackingToken(42);
        inTransaction(() -> {
            a.storeToken(applied, "view", 0);
            return null;
        });

        // node-b took the segment over, and its own claim has since aged past the claim timeout
        jdbc.update("update token_entry set owner = 'node-b', timestamp = '2000-01-01T00:00:00Z' where processor_name = 'view'");
        assertThatThrownBy(() -> inTransaction(() -> {
            a.storeToken(new org.axonframework.eventhandling.GlobalSequenceTrackingToken(43), "view", 0);
            return null;
        })).isInstanceOf(UnableToClaimTokenException.class);
        assertThat(jdbc.queryForObject("select owner from token_entry where processor_name = 'view'", String.class))
                .as("node-a's batch is refused; it does not take the segment back by storing").isEqualTo("node-b");
    }
}
