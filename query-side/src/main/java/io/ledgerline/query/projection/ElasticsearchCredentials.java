package io.ledgerline.query.projection;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.RedirectStrategy;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.apache.http.message.BasicHeader;
import org.apache.http.protocol.HttpContext;
import org.elasticsearch.client.RestClientBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails;
import org.springframework.boot.autoconfigure.elasticsearch.RestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Sends the read store's credentials with every request, instead of through Apache HttpClient's
 * authentication cache.
 *
 * <p>Elasticsearch's REST client puts a basic scheme for each node in that cache, and the cache
 * keeps schemes Java-serialized: every request deserialized one, with or without credentials, about
 * 4 % of the query side's CPU when serving account reads. With the cache off, a client with
 * credentials would instead be challenged (401) before every request, so the credentials go in a
 * default header (UTF-8, as RFC 7617 recommends). Nodes with credentials of their own, unlike each
 * other, keep the cache. Redirects are not followed: a default header would go to any host.
 */
@Configuration(proxyBeanMethods = false)
class ElasticsearchCredentials {

  @Bean
  RestClientBuilderCustomizer preemptiveElasticsearchCredentials(
      ObjectProvider<ElasticsearchConnectionDetails> connection) {
    ElasticsearchConnectionDetails details = connection.getIfAvailable();
    // Without connection details Spring Boot builds no client of its own to customize.
    return details == null ? builder -> {} : new PreemptiveCredentials(details);
  }

  /** Elasticsearch never redirects; a proxy that does must not get the credentials. */
  private static final RedirectStrategy NO_REDIRECTS =
      new RedirectStrategy() {
        @Override
        public boolean isRedirected(
            HttpRequest request, HttpResponse response, HttpContext context) {
          return false;
        }

        @Override
        public HttpUriRequest getRedirect(
            HttpRequest request, HttpResponse response, HttpContext context) {
          throw new IllegalStateException("redirects are not followed");
        }
      };

  /** The customizer, apart from its bean for tests. */
  static final class PreemptiveCredentials implements RestClientBuilderCustomizer {

    private final Optional<Header> authorization;
    private final boolean oneCredentialForAll;

    PreemptiveCredentials(ElasticsearchConnectionDetails connection) {
      Set<String> credentials = credentialsOf(connection);
      this.oneCredentialForAll = credentials.size() <= 1;
      this.authorization =
          oneCredentialForAll && !credentials.contains("")
              ? credentials.stream().findFirst().map(PreemptiveCredentials::basic)
              : Optional.empty();
    }

    // The only default header: a customizer that sets others must set this one with them.
    @Override
    public void customize(RestClientBuilder builder) {
      authorization.ifPresent(header -> builder.setDefaultHeaders(new Header[] {header}));
    }

    @Override
    public void customize(HttpAsyncClientBuilder builder) {
      if (oneCredentialForAll) {
        builder.disableAuthCaching();
      }
      builder.setRedirectStrategy(NO_REDIRECTS);
    }

    /**
     * Each node's {@code user:password} ("" for none): its own, from its URI, else the
     * connection's, as Spring Boot's credentials provider has it.
     */
    private static Set<String> credentialsOf(ElasticsearchConnectionDetails connection) {
      String shared =
          StringUtils.hasText(connection.getUsername())
              ? userAndPassword(connection.getUsername(), connection.getPassword())
              : "";
      Set<String> credentials = new HashSet<>();
      for (ElasticsearchConnectionDetails.Node node : connection.getNodes()) {
        credentials.add(
            StringUtils.hasText(node.username())
                ? userAndPassword(node.username(), node.password())
                : shared);
      }
      return credentials;
    }

    // As Apache's basic scheme writes a missing password: "null".
    private static String userAndPassword(String user, String password) {
      return user + ':' + password;
    }

    private static Header basic(String userAndPassword) {
      return new BasicHeader(
          HttpHeaders.AUTHORIZATION,
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
