package io.ledgerline.identity.server;

import io.ledgerline.identity.users.UserDirectory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin only (see the security configuration): the users, and disabling one. Disabling refuses
 * their sign-in and every further token, removes their authorizations (so their refresh tokens are
 * refused), ends their sign-in sessions, and lists them on {@code /revocations}, from which the
 * services refuse their access tokens issued until then.
 */
@RestController
@RequestMapping("/admin/users")
class UserAdminController {

  private final UserDirectory users;
  private final TrackedAuthorizationService authorizations;
  private final SessionRegistry sessions;

  UserAdminController(
      UserDirectory users, TrackedAuthorizationService authorizations, SessionRegistry sessions) {
    this.users = users;
    this.authorizations = authorizations;
    this.sessions = sessions;
  }

  @GetMapping
  List<UserDirectory.Summary> users() {
    return users.summaries();
  }

  @PostMapping("/{username}/disable")
  Map<String, Object> disable(@PathVariable String username) {
    Instant revokedAt = users.disable(username);
    int removed = authorizations.removeAllOf(username);
    int ended = endSessions(username);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("username", username);
    answer.put("enabled", false);
    answer.put("tokensRevokedUpTo", revokedAt.toString());
    answer.put("authorizationsRemoved", removed);
    answer.put("sessionsEnded", ended);
    return answer;
  }

  @PostMapping("/{username}/enable")
  Map<String, Object> enable(@PathVariable String username) {
    users.enable(username);
    return Map.of("username", username, "enabled", true);
  }

  @ExceptionHandler(NoSuchElementException.class)
  ProblemDetail unknown(NoSuchElementException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
  }

  private int endSessions(String username) {
    int ended = 0;
    for (Object principal : sessions.getAllPrincipals()) {
      if (principal instanceof UserDetails user && user.getUsername().equals(username)) {
        for (SessionInformation session : sessions.getAllSessions(principal, false)) {
          session.expireNow();
          ended++;
        }
      }
    }
    return ended;
  }
}
