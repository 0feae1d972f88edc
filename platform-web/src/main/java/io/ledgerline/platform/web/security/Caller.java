package io.ledgerline.platform.web.security;

import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: the token's subject and roles, and what those roles allow on accounts that belong
 * to someone else.
 *
 * @param subject the authenticated subject ({@code sub}), recorded in every event it causes
 * @param roles customer, operator, auditor, admin
 */
public record Caller(String subject, Set<String> roles) {

  public static final String CUSTOMER = "customer";
  public static final String OPERATOR = "operator";
  public static final String AUDITOR = "auditor";
  public static final String ADMIN = "admin";

  /** The caller of the current request. */
  public static Caller current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !authentication.isAuthenticated()) {
      throw new IllegalStateException("no authenticated caller");
    }
    return new Caller(
        authentication.getName(),
        authentication.getAuthorities().stream()
            .map(a -> a.getAuthority().replaceFirst("^ROLE_", ""))
            .collect(Collectors.toUnmodifiableSet()));
  }

  public boolean has(String role) {
    return roles.contains(role);
  }

  /** Whether the caller may act on accounts of any owner (else only on its own). */
  public boolean actsOnAnyAccount() {
    return has(OPERATOR);
  }

  /** Whether the caller may read every account (else only its own). */
  public boolean readsAnyAccount() {
    return has(OPERATOR) || has(AUDITOR);
  }

  /** Refuses unless the caller may act on an account owned by {@code ownerId}. */
  public void requireOwnerOrOperator(String ownerId) {
    if (!actsOnAnyAccount() && !subject.equals(ownerId)) {
      throw new ForbiddenException("this account belongs to someone else");
    }
  }

  /** Refuses unless the caller may read data of an account owned by {@code ownerId}. */
  public void requireMayRead(String ownerId) {
    if (!readsAnyAccount() && !subject.equals(ownerId)) {
      throw new ForbiddenException("this account belongs to someone else");
    }
  }
}
