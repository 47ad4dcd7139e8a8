package io.roomgate.command.room;

import io.roomgate.access.Rejected;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/** Matches the {@link Rejected} a refused command throws: its kind and (part of) its message. */
public final class Rejections {

    private Rejections() {
    }

    public static Matcher<Rejected> rejected(Rejected.Kind kind, String messagePart) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Rejected item, Description mismatch) {
                if (item.kind() != kind) {
                    mismatch.appendText("was rejected as ").appendValue(item.kind())
                            .appendText(": ").appendValue(item.getMessage());
                    return false;
                }
                if (item.getMessage() == null || !item.getMessage().contains(messagePart)) {
                    mismatch.appendText("message was ").appendValue(item.getMessage());
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("Rejected ").appendValue(kind)
                        .appendText(" with a message containing ").appendValue(messagePart);
            }
        };
    }
}
