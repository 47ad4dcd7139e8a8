package io.roomgate.command.room;

import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's snapshot is its fields, and a snapshot of another shape must never be read into it: a
 * field added would stay empty, a field renamed would be dropped. Axon reads only snapshots of
 * Room's current {@code @Revision}, so the shape is written down per revision and a changed field
 * without a new revision fails here.
 */
class RoomSnapshotShapeTest {

    @Test
    void the_fields_in_a_room_snapshot_are_those_of_its_revision() throws IOException {
        String revision = Room.class.getAnnotation(Revision.class).value();
        String file = "/snapshots/room-revision-" + revision + ".txt";
        String shape = shape(Room.class);
        try (InputStream golden = getClass().getResourceAsStream(file)) {
            assertThat(golden).as("%s is missing; Room's snapshot at this revision holds:%n%s", file, shape).isNotNull();
            assertThat(shape)
                    .as("Room's snapshot state changed: bump @Revision on Room (snapshots of revision %s are then skipped "
                            + "and rooms load from their events once) and write the new shape to a new file", revision)
                    .isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Every instance field of {@code type} and of roomgate's own types inside it, one per line. */
    static String shape(Class<?> type) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        StringBuilder out = new StringBuilder();
        describe(type, seen, out);
        return out.toString();
    }

    private static void describe(Class<?> type, Set<Class<?>> seen, StringBuilder out) {
        if (!seen.add(type) || type.isEnum() || !type.getName().startsWith("io.roomgate.")) {
            return;
        }
        Field[] fields = Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .sorted(Comparator.comparing(Field::getName)) // the JVM promises no order
                .toArray(Field[]::new);
        for (Field f : fields) {
            out.append(type.getName()).append('.').append(f.getName()).append(": ").append(f.getGenericType().getTypeName()).append('\n');
        }
        for (Field f : fields) {
            for (Class<?> inner : classesIn(f.getGenericType())) {
                describe(inner, seen, out);
            }
        }
    }

    private static Set<Class<?>> classesIn(Type type) {
        if (type instanceof Class<?> c) {
            return Set.of(c);
        }
        if (type instanceof ParameterizedType p) {
            return Arrays.stream(p.getActualTypeArguments()).flatMap(t -> classesIn(t).stream())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
        return Set.of();
    }
}
