package io.ledgerline.platform.web.security;

import java.util.function.Predicate;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall with its own character rules, checked by a scan of code points
 * instead of a regular expression. The firewall checks each header value every time it is read, and
 * the bearer token's header (some 800 characters) is read several times per request: the
 * expressions cost about 2 % of each service's CPU. The rules are Spring's, unchanged: names are
 * assigned, non-control characters; header values may also hold tabs.
 */
final class FirewallCharacters {

  /** Spring's {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}. */
  static final Predicate<String> ASSIGNED_AND_NOT_CONTROL = value -> allowed(value, false);

  /** Spring's {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}. */
  static final Predicate<String> HEADER_VALUE = value -> allowed(value, true);

  private FirewallCharacters() {}

  /** Spring's strict firewall, its character rules answered by the scans above. */
  static StrictHttpFirewall strictFirewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowedHeaderNames(ASSIGNED_AND_NOT_CONTROL);
    firewall.setAllowedHeaderValues(HEADER_VALUE);
    firewall.setAllowedParameterNames(ASSIGNED_AND_NOT_CONTROL);
    return firewall;
  }

  private static boolean allowed(String value, boolean tab) {
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      int type = Character.getType(codePoint);
      if (type == Character.UNASSIGNED
          || (type == Character.CONTROL && !(tab && codePoint == '\t'))) {
        return false;
      }
      i += Character.charCount(codePoint);
    }
    return true;
  }
}
