package io.ledgerline.platform.web.openapi;

import io.ledgerline.platform.web.security.ApiAuthorizationRules;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;

/**
 * The conventions of both services' OpenAPI descriptions (springdoc), so that a controller states
 * only what is its own: the bearer token and each operation's roles, the problem responses with
 * their types and examples, the shared headers, contact and license. Backs off where springdoc is
 * absent; each bean backs off from a service's own of the same name.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OpenApiCustomizer.class, OperationCustomizer.class})
@EnableConfigurationProperties(ApiDocsProperties.class)
public class ApiDocsAutoConfiguration {

  /** The problems platform-web itself answers with, whatever the service. */
  @Bean
  @ConditionalOnMissingBean(name = "sharedProblemTypes")
  ProblemCatalog sharedProblemTypes() {
    return ProblemCatalog.of(
        ProblemType.of(
            HttpStatus.BAD_REQUEST, "validation", "Invalid request", "the request body is invalid"),
        ProblemType.of(
            HttpStatus.BAD_REQUEST,
            "bad-request",
            "Bad Request",
            "Required parameter 'processor' is not present."),
        ProblemType.of(
            HttpStatus.BAD_REQUEST,
            "malformed-json",
            "Malformed JSON",
            "the request body is not valid JSON of the expected shape"),
        ProblemType.of(
            HttpStatus.BAD_REQUEST,
            "unknown-field",
            "Unknown field",
            "the field 'colour' is not part of this request"),
        ProblemType.of(
            HttpStatus.UNAUTHORIZED,
            "unauthorized",
            "Unauthorized",
            "a valid bearer token is required"),
        ProblemType.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "your role may not do this"),
        ProblemType.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no such account: 42"),
        ProblemType.of(
            HttpStatus.PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Payload too large",
            "the request body exceeds 16384 bytes"),
        ProblemType.of(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported Media Type",
            "Content-Type 'text/plain' is not supported."),
        ProblemType.of(
            HttpStatus.TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            "slow down and retry after the time in Retry-After"),
        ProblemType.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            "a dependency is unavailable; retry later"));
  }

  // Both an operation customizer (each operation's responses) and an OpenAPI customizer (the
  // shared responses and examples they refer to).
  @Bean
  @ConditionalOnMissingBean(name = "apiProblemResponses")
  ProblemResponses apiProblemResponses(ObjectProvider<ProblemCatalog> catalogs) {
    return new ProblemResponses(catalogs);
  }

  @Bean
  @ConditionalOnMissingBean(name = "apiConventions")
  OpenApiCustomizer apiConventions(
      ApiDocsProperties properties, ObjectProvider<ApiAuthorizationRules> authorizationRules) {
    return new ApiConventions(properties, authorizationRules);
  }
}
