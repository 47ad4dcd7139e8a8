package io.roomgate.query.replay;

import io.roomgate.platform.ApiException;
import io.roomgate.platform.RequiresScope;
import io.roomgate.platform.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rebuilding a view from the event store: {@code POST /v1/admin/projections/{name}/replay}
 * starts it (202 with the status), {@code GET /v1/admin/projections/{name}/status} follows it.
 * The one view is {@code join-eligibility}; any other name is a 404.
 */
@RestController
@RequiresScope(Scope.ADMIN)
public class ProjectionAdminController {

    private final Map<String, ViewRebuild> rebuilds;

    public ProjectionAdminController(List<ViewRebuild> rebuilds) {
        this.rebuilds = rebuilds.stream().collect(Collectors.toMap(ViewRebuild::name, Function.identity()));
    }

    @PostMapping("/v1/admin/projections/{name}/replay")
    public ResponseEntity<ProjectionStatus> replay(@PathVariable String name) {
        ViewRebuild rebuild = find(name);
        rebuild.rebuild();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.status());
    }

    @GetMapping("/v1/admin/projections/{name}/status")
    public ProjectionStatus status(@PathVariable String name) {
        return find(name).status();
    }

    private ViewRebuild find(String name) {
        ViewRebuild rebuild = rebuilds.get(name);
        if (rebuild == null) {
            throw ApiException.notFound("no projection named " + name + "; there is " + String.join(", ", rebuilds.keySet()));
        }
        return rebuild;
    }
}
