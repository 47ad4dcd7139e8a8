package io.roomgate.store.db;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.descriptor.jdbc.VarbinaryJdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

import java.sql.Types;

/** Binds Axon's {@code @Lob} byte arrays as plain binary values instead of large objects. */
final class BinaryPayloads {

    private BinaryPayloads() {
    }

    static void contribute(TypeContributions contributions) {
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        registry.addDescriptor(Types.BLOB, VarbinaryJdbcType.INSTANCE);
    }
}
