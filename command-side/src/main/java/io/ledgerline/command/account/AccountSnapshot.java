package io.ledgerline.command.account;

/**
 * What a command handler answers: the account's state right after the command, with the version
 * (sequence number of its last event) that clients use in {@code ETag} and {@code If-Match}.
 */
record AccountSnapshot(
    String accountId,
    String ownerId,
    String currency,
    long balanceMinor,
    AccountStatus status,
    long version) {}
