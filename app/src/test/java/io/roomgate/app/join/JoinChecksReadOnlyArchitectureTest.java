package io.roomgate.app.join;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.roomgate.query.check.JoinCheckService;
import io.roomgate.query.audit.TimeTravel;
import io.roomgate.query.view.JoinView;
import io.roomgate.query.web.JoinCheckController;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.Repository;
import org.springframework.jdbc.core.JdbcOperations;

import java.util.Set;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * "Join checks never load an aggregate and never write to the event store" (issue 4), as rules
 * on the compiled code: the query side has no way to reach an aggregate (no repository, no
 * command bus or gateway, no command-side class) and no way to append an event; the classes on
 * the join check's path do not write to the database at all. The runtime half, "100 join checks
 * leave the event store as it was", is {@link JoinChecksAppendNothingIT}.
 */
@AnalyzeClasses(packages = "io.roomgate", importOptions = ImportOption.DoNotIncludeTests.class)
class JoinChecksReadOnlyArchitectureTest {

    private static final String QUERY = "io.roomgate.query..";

    @ArchTest
    static final ArchRule the_query_side_does_not_depend_on_the_command_side =
            noClasses().that().resideInAPackage(QUERY)
                    .should().dependOnClassesThat().resideInAnyPackage("io.roomgate.command..", "io.roomgate.service.command..");

    @ArchTest
    static final ArchRule the_query_side_cannot_load_an_aggregate_or_send_a_command =
            noClasses().that().resideInAPackage(QUERY)
                    .should().dependOnClassesThat(assignableTo(Repository.class)
                            .or(assignableTo(CommandGateway.class))
                            .or(assignableTo(CommandBus.class))
                            .or(assignableTo(AggregateLifecycle.class))
                            .or(resideInAPackage("org.axonframework.modelling.command.inspection.."))
                            .as("are Axon repositories, command buses or gateways, or aggregate lifecycle"));

    @ArchTest
    static final ArchRule the_query_side_never_appends_to_the_event_store =
            noClasses().that().resideInAPackage(QUERY)
                    .should().callMethodWhere(new DescribedPredicate<JavaCall<?>>("publishes or appends an event") {
                        @Override
                        public boolean test(JavaCall<?> call) {
                            JavaClass owner = call.getTargetOwner();
                            String name = call.getName();
                            return (owner.isAssignableTo(EventBus.class) && name.equals("publish"))
                                    || (owner.isAssignableTo(EventStorageEngine.class)
                                    && (name.equals("appendEvents") || name.equals("storeSnapshot")));
                        }
                    });

    /** The classes a join check runs through: none of them writes to the database. */
    @ArchTest
    static final ArchRule the_join_check_path_does_not_write_to_the_database =
            noClasses().that().belongToAnyOf(JoinCheckController.class, JoinCheckService.class, JoinView.class, TimeTravel.class,
                            io.roomgate.query.view.RoomReader.class, io.roomgate.query.view.PresenceReader.class,
                            io.roomgate.query.view.KnockReader.class)
                    .should().callMethodWhere(new DescribedPredicate<JavaCall<?>>("writes through JDBC") {
                        private static final Set<String> WRITES = Set.of("update", "batchUpdate", "execute");

                        @Override
                        public boolean test(JavaCall<?> call) {
                            return call.getTargetOwner().isAssignableTo(JdbcOperations.class)
                                    && WRITES.contains(call.getName());
                        }
                    });
}
