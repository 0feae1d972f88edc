package io.ledgerline.platform.web.security;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** {@code ledgerline.security.jwt.revocation-uri} is set and not blank (the yml default is ""). */
final class OnRevocationUri implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return StringUtils.hasText(
        context.getEnvironment().getProperty("ledgerline.security.jwt.revocation-uri"));
  }
}
