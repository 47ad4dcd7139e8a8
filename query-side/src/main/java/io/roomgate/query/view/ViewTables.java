package io.roomgate.query.view;

import java.util.List;

/** The tables of the join-eligibility view. */
final class ViewTables {

    static final List<String> ALL = List.of("view_room", "view_participant", "view_knock", "view_ban",
            "view_revoked_token", "view_member", "view_position", "view_quarantine");

    private ViewTables() {
    }
}
