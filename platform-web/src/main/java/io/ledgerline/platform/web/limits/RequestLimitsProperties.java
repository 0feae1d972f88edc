package io.ledgerline.platform.web.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large a request may be.
 *
 * @param maxBodySize the largest request body accepted, declared or streamed; 16 KB by default
 */
@ConfigurationProperties("ledgerline.api")
public record RequestLimitsProperties(@DefaultValue("16KB") DataSize maxBodySize) {}
