package io.ledgerline.events;

/**
 * An account was opened for an owner in one currency.
 *
 * @param accountId the new account's id, chosen by the server
 * @param ownerId the owner (a customer's subject)
 * @param currency ISO 4217 code; every movement on the account is in this currency
 * @param overdraftLimitMinor how far below zero the balance may go, in minor units (0 = none)
 */
public record AccountOpened(
    String accountId, String ownerId, String currency, long overdraftLimitMinor)
    implements AccountEvent {}
