package io.ledgerline.platform.web.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.lang.Nullable;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.util.AntPathMatcher;

/**
 * A service's access rules as data: which roles may call which paths. The filter chain enforces
 * them in their order, the first match deciding, and the API description states the same roles for
 * each operation (see {@link #rolesFor}), so the description cannot drift from what is enforced.
 *
 * <pre>{@code
 * RoleRules.builder()
 *     .post("/api/v1/transfers").roles(Caller.CUSTOMER, Caller.OPERATOR)
 *     .any("/api/v1/admin/**").roles(Caller.ADMIN)
 *     .build();
 * }</pre>
 */
public final class RoleRules implements ApiAuthorizationRules {

  /**
   * One rule.
   *
   * @param method the HTTP method it applies to, or null for any
   * @param paths Ant-style path patterns ({@code *} one segment, {@code **} any number)
   * @param roles the roles of which a caller needs one
   */
  public record Rule(@Nullable HttpMethod method, List<String> paths, List<String> roles) {

    public Rule {
      paths = List.copyOf(paths);
      roles = List.copyOf(roles);
    }
  }

  private static final AntPathMatcher PATHS = new AntPathMatcher();

  private final List<Rule> rules;

  private RoleRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Rule> rules() {
    return rules;
  }

  @Override
  public void configure(
      AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
          registry) {
    for (Rule rule : rules) {
      String[] paths = rule.paths().toArray(String[]::new);
      var matched =
          rule.method() == null
              ? registry.requestMatchers(paths)
              : registry.requestMatchers(rule.method(), paths);
      matched.hasAnyRole(rule.roles().toArray(String[]::new));
    }
  }

  /**
   * The roles the first matching rule asks for, or empty when no rule matches (then any valid token
   * will do).
   *
   * @param method the request's method
   * @param path a request path, or a path template whose {@code {variables}} stand for one segment
   */
  public Optional<List<String>> rolesFor(HttpMethod method, String path) {
    String concrete = path.replaceAll("\\{[^/}]+}", "x");
    return rules.stream()
        .filter(rule -> rule.method() == null || rule.method().equals(method))
        .filter(rule -> rule.paths().stream().anyMatch(p -> PATHS.match(p, concrete)))
        .findFirst()
        .map(Rule::roles);
  }

  /** Collects rules in the order they are tried. */
  public static final class Builder {

    private final List<Rule> rules = new ArrayList<>();

    private Builder() {}

    public Paths get(String... paths) {
      return new Paths(HttpMethod.GET, paths);
    }

    public Paths post(String... paths) {
      return new Paths(HttpMethod.POST, paths);
    }

    public Paths delete(String... paths) {
      return new Paths(HttpMethod.DELETE, paths);
    }

    /** Paths whatever the method. */
    public Paths any(String... paths) {
      return new Paths(null, paths);
    }

    public RoleRules build() {
      return new RoleRules(rules);
    }

    /** The paths of a rule, waiting for its roles. */
    public final class Paths {

      private final HttpMethod method;
      private final List<String> paths;

      private Paths(HttpMethod method, String... paths) {
        this.method = method;
        this.paths = List.of(paths);
      }

      /** A caller needs one of these roles. */
      public Builder roles(String... roles) {
        rules.add(new Rule(method, paths, List.of(roles)));
        return Builder.this;
      }
    }
  }
}
