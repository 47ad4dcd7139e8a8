package io.roomgate.app;

import io.roomgate.command.CommandSideConfiguration;
import io.roomgate.query.QuerySideConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The embedded default: both sides in one process, on an H2 file database under ./data. */
@SpringBootApplication
@Import({CommandSideConfiguration.class, QuerySideConfiguration.class})
public class RoomgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(RoomgateApplication.class, args);
    }
}
