package io.roomgate.command.web;

import io.roomgate.command.member.AddMember;
import io.roomgate.command.member.RemoveMember;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;


/** Members of the domain: logged-in users who may join private rooms. */
@RestController
@RequiresScope(Scope.ADMIN)
public class MemberCommandController {

    private final CommandSender commands;

    public MemberCommandController(CommandSender commands) {
        this.commands = commands;
    }

    @PutMapping("/v1/members/{userId}")
    public Responses.MemberAdded add(@PathVariable String userId, HttpServletResponse response) {
        io.roomgate.edge.Text.requireSafe("user_id", userId, true);
        commands.send(new AddMember(userId), response);
        return new Responses.MemberAdded(userId, true);
    }

    @DeleteMapping("/v1/members/{userId}")
    public Responses.MemberDeleted remove(@PathVariable String userId, HttpServletResponse response) {
        commands.send(new RemoveMember(userId), response);
        return new Responses.MemberDeleted(userId, true);
    }
}
