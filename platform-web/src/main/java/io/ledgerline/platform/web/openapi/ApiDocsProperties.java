package io.ledgerline.platform.web.openapi;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who answers for the API and under which terms, as both services' API descriptions state it
 * ({@code ledgerline.api.docs.*}).
 *
 * @param contactName who to ask about the API
 * @param contactEmail where to ask, or null
 * @param licenseName the terms of use
 * @param licenseIdentifier their SPDX expression, stated when there is no {@code licenseUrl}
 * @param licenseUrl where the terms are written, or null
 */
@ConfigurationProperties("ledgerline.api.docs")
public record ApiDocsProperties(
    @DefaultValue("Ledgerline maintainers") String contactName,
    String contactEmail,
    @DefaultValue("Proprietary") String licenseName,
    @DefaultValue("LicenseRef-Proprietary") String licenseIdentifier,
    String licenseUrl) {}
