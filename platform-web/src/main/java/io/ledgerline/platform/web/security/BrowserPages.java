package io.ledgerline.platform.web.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Static pages a service serves to browsers: its HTML, scripts, styles and WebJars. The shared
 * filter chain lets anyone {@code GET} them without a token, since they hold no data (every figure
 * they show comes from the API, called with the token the user gives the page), and answers them
 * with {@link #contentSecurityPolicy()} instead of the API's {@code default-src 'none'}. Nothing
 * under {@code /api}, {@code /actuator}, {@code /v3} or {@code /error} can be declared a page, nor
 * a pattern whose first segment is a wildcard. Declare one bean per service.
 *
 * @param paths path patterns ({@code *} one segment, {@code **} any number), e.g. {@code
 *     /index.html} or {@code /assets/**}
 * @param connectOrigins other origins the pages' scripts may call besides the service itself, e.g.
 *     the OpenID Connect provider a page signs in with; each exactly one origin ({@code
 *     scheme://host[:port]}), never a wildcard, a scheme alone or a path. None by default.
 */
public record BrowserPages(List<String> paths, List<String> connectOrigins) {

  /**
   * The pages' policy when they call no other origin: scripts, styles, images and API calls from
   * the service itself only; no inline script or style, no plugin, no other origin, no form posted
   * anywhere, no framing.
   */
  public static final String CONTENT_SECURITY_POLICY = policy(List.of());

  private static final List<String> NEVER_PAGES = List.of("api", "actuator", "v3", "error");

  // A DNS name or an IPv4 address; an IPv6 literal comes in brackets.
  private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

  public BrowserPages {
    paths = List.copyOf(paths);
    connectOrigins = List.copyOf(connectOrigins);
    for (String path : paths) {
      String first = path.startsWith("/") ? path.substring(1).split("/", 2)[0] : "";
      if (!path.startsWith("/")
          || first.contains("*")
          || first.contains("{")
          || NEVER_PAGES.contains(first)) {
        throw new IllegalArgumentException("not a page path: " + path);
      }
    }
    for (String origin : connectOrigins) {
      if (!origin.equals(originOf(origin))) {
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
      }
    }
  }

  /** Pages that call no other origin. */
  public BrowserPages(List<String> paths) {
    this(paths, List.of());
  }

  public static BrowserPages of(String... paths) {
    return new BrowserPages(List.of(paths));
  }

  /**
   * These pages, allowed to call {@code url}'s origin as well ({@code connect-src}): its scheme,
   * host and port only, whatever path it has. An OpenID Connect issuer such as {@code
   * https://login.example.com/realms/ledgerline} allows {@code https://login.example.com}.
   *
   * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL with a
   *     host (a wildcard, a scheme alone or user information included)
   */
  public BrowserPages connectingTo(String url) {
    String origin = originOf(url);
    if (connectOrigins.contains(origin)) {
      return this;
    }
    List<String> origins = new ArrayList<>(connectOrigins);
    origins.add(origin);
    return new BrowserPages(paths, origins);
  }

  /** The pages' Content-Security-Policy: {@link #CONTENT_SECURITY_POLICY} plus their origins. */
  public String contentSecurityPolicy() {
    return policy(connectOrigins);
  }

  /**
   * The origin of an absolute http or https URL, as a CSP source expression: {@code
   * scheme://host[:port]}, lower case, without the scheme's default port.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static String originOf(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getRawUserInfo() != null
        || !(HOST.matcher(host).matches() || IPV6.matcher(host).matches())) {
      throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  private static String policy(List<String> connectOrigins) {
    StringBuilder connect = new StringBuilder("'self'");
    connectOrigins.forEach(origin -> connect.append(' ').append(origin));
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        + " connect-src "
        + connect
        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }
}
