package io.ledgerline.platform.web.security;

import java.util.List;

/**
 * Static pages a service serves to browsers: its HTML, scripts, styles and WebJars. The shared
 * filter chain lets anyone {@code GET} them without a token, since they hold no data (every figure
 * they show comes from the API, called with the token the user gives the page), and answers them
 * with {@link #CONTENT_SECURITY_POLICY} instead of the API's {@code default-src 'none'}. Nothing
 * under {@code /api}, {@code /actuator}, {@code /v3} or {@code /error} can be declared a page, nor
 * a pattern whose first segment is a wildcard. Declare one bean per service.
 *
 * @param paths path patterns ({@code *} one segment, {@code **} any number), e.g. {@code
 *     /index.html} or {@code /assets/**}
 */
public record BrowserPages(List<String> paths) {

  /**
   * The pages' policy: scripts, styles, images and API calls from the service itself only; no
   * inline script or style, no plugin, no other origin, no form posted anywhere, no framing.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final List<String> NEVER_PAGES = List.of("api", "actuator", "v3", "error");

  public BrowserPages {
    paths = List.copyOf(paths);
    for (String path : paths) {
      String first = path.startsWith("/") ? path.substring(1).split("/", 2)[0] : "";
      if (!path.startsWith("/")
          || first.contains("*")
          || first.contains("{")
          || NEVER_PAGES.contains(first)) {
        throw new IllegalArgumentException("not a page path: " + path);
      }
    }
  }

  public static BrowserPages of(String... paths) {
    return new BrowserPages(List.of(paths));
  }
}
