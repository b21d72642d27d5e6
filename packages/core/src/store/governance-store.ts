/** A tenant: a name that owns one decision log and one access trail. */
export interface TenantRecord {
  readonly name: string;
  readonly createdAt: string;
}

/** An API key as stored: never its secret, only the SHA-256 of the whole key text. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  /** The tenant it acts for, or null for all tenants (admin keys only). */
  readonly tenant: string | null;
  readonly secretHash: Uint8Array;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** Whether `addKey` stored the key, or which live key holds its name. */
export type AddKeyResult =
  { readonly added: true } | { readonly added: false; readonly nameTakenBy: string };

/**
 * The personal details of one access-trail entry (its stated purpose, the values of filters that
 * may describe a person), kept beside the trail instead of in its leaf, which commits to them
 * (see splitAccessPersonal): deleted when a subject it concerns is erased, or when retention's
 * period for personal data has passed.
 */
export interface AccessDetailsRecord {
  readonly tenant: string;
  /** The id of the access entry. */
  readonly entryId: string;
  readonly recordedAt: string;
  /** JSON text of the AccessPersonalDetails. */
  readonly details: string;
  /** The data subjects the entry concerns (a decision read, a query's results, a subject filter). */
  readonly subjects: readonly string[];
}

/** A data subject's key, wrapped by the master key; gone (null) once the subject is erased. */
export interface SubjectKeyRecord {
  readonly tenant: string;
  readonly subject: string;
  /** The `WrappedSubjectKey` record as JSON text, or null after erasure. */
  readonly wrappedKey: string | null;
  readonly createdAt: string;
  readonly erasedAt: string | null;
  readonly erasedBy: string | null;
}

/** A compare-and-set change of one subject's wrapped key (see `replaceWrappedKeys`). */
export interface WrappedKeyChange {
  readonly tenant: string;
  readonly subject: string;
  /** The wrapped key text the record must still hold. */
  readonly expected: string;
  readonly wrappedKey: string;
}

/** What a legal hold covers: a data subject, one decision, or every decision of a model. */
export type HoldKind = 'subject' | 'decision' | 'model';

/** A legal hold: while it stands (not released), retention and erasure skip what it covers. */
export interface LegalHold {
  readonly id: string;
  readonly tenant: string;
  readonly kind: HoldKind;
  /** The subject id, decision id or model name. */
  readonly target: string;
  readonly reason: string;
  readonly placedAt: string;
  readonly placedBy: string;
  readonly releasedAt: string | null;
  readonly releasedBy: string | null;
}

/**
 * Tenants, API keys and per-tenant settings (policies and secrets, as JSON texts). Written
 * rarely, read on every request; each call is its own durable transaction.
 */
export interface GovernanceStore {
  /** Creates the tenant unless it exists; true when this call created it. */
  addTenant(tenant: TenantRecord): Promise<boolean>;
  tenant(name: string): Promise<TenantRecord | null>;
  tenants(): Promise<readonly TenantRecord[]>;

  /**
   * Stores a new key, unless its name is taken: a key's name is its principal, unique among
   * the live keys that act in a tenant (a key of all tenants acts in every one). So a live key
   * of the same tenant, of all tenants, or (for a key of all tenants) of any tenant, with the
   * same name refuses it, naming that key. An id that exists already is an error.
   */
  addKey(key: ApiKeyRecord): Promise<AddKeyResult>;
  /** Stores the key or replaces the one of the same id (the bootstrap admin key). */
  putKey(key: ApiKeyRecord): Promise<void>;
  keyById(id: string): Promise<ApiKeyRecord | null>;
  /** Keys in creation order, revoked ones included; only one tenant's when it is given. */
  keys(tenant?: string): Promise<readonly ApiKeyRecord[]>;
  /** Marks the key revoked at `at`; false when no such key is live. */
  revokeKey(id: string, at: string): Promise<boolean>;

  /** A tenant's setting, such as its masking policy; null when unset. */
  tenantSetting(tenant: string, key: string): Promise<string | null>;
  /** Sets a tenant setting, replacing its value. */
  putTenantSetting(tenant: string, key: string, value: string): Promise<void>;
  /** Sets it unless set already, and returns the value in force (first writer wins). */
  initTenantSetting(tenant: string, key: string, value: string): Promise<string>;
  /**
   * Compare and set: sets the setting to `value` (null removes it) only if it is `expected`
   * (null: unset) now; true when it did.
   */
  replaceTenantSetting(
    tenant: string,
    key: string,
    expected: string | null,
    value: string | null,
  ): Promise<boolean>;
  /** Every tenant's value of one setting (such as each tenant's pseudonym key), by tenant. */
  settingOfEveryTenant(key: string): Promise<ReadonlyMap<string, string>>;

  subjectKey(tenant: string, subject: string): Promise<SubjectKeyRecord | null>;
  /** The records of these subjects that have one, by subject. */
  subjectKeys(
    tenant: string,
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, SubjectKeyRecord>>;
  /**
   * Stores each subject's wrapped key unless it has a record (first writer wins), in one
   * transaction; returns the records in force for all of them.
   */
  initSubjectKeys(
    tenant: string,
    keys: readonly { readonly subject: string; readonly wrappedKey: string }[],
    at: string,
  ): Promise<ReadonlyMap<string, SubjectKeyRecord>>;
  /** Stores the subject's wrapped key unless it has a record (first writer wins); returns it. */
  initSubjectKey(
    tenant: string,
    subject: string,
    wrappedKey: string,
    at: string,
  ): Promise<SubjectKeyRecord>;
  /**
   * The subject key records of every tenant in (tenant, subject) order, erased ones included:
   * the first `limit` after `after` (null: from the start). A walk through all of them, page
   * by page, as a master key rotation makes.
   */
  subjectKeyPage(
    after: { readonly tenant: string; readonly subject: string } | null,
    limit: number,
  ): Promise<readonly SubjectKeyRecord[]>;
  /**
   * Replaces each wrapped key only if its record still holds `expected` (so an erasure or
   * another writer in between wins), all in one transaction; says for each change, in order,
   * whether it was made. Each (tenant, subject) appears at most once.
   */
  replaceWrappedKeys(changes: readonly WrappedKeyChange[]): Promise<readonly boolean[]>;
  /**
   * How many erasures the tenant has seen: sealing keys read before it last moved may belong to
   * an erased subject, and an append sealed with them is refused (see SealingKeys).
   */
  erasureEpoch(tenant: string): Promise<number>;
  /**
   * Destroys the subject's key (its record stays, erased, so that later events of the subject
   * are erased on arrival too) and moves the tenant's erasure epoch; true when a live key was
   * destroyed now.
   */
  eraseSubjectKey(tenant: string, subject: string, at: string, by: string): Promise<boolean>;

  /** Keeps access entries' personal details, in one transaction. */
  putAccessDetails(records: readonly AccessDetailsRecord[]): Promise<void>;
  /** The details kept for these entries of the tenant's trail (JSON text), by entry id. */
  accessDetails(tenant: string, entryIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Deletes the tenant's access details of entries concerning a subject, or recorded before a
   * time, with their links to subjects; returns how many entries' details were deleted.
   */
  deleteAccessDetails(
    tenant: string,
    target: { readonly subject: string } | { readonly before: string },
  ): Promise<number>;

  addHold(hold: LegalHold): Promise<void>;
  /** A tenant's holds in the order placed, released ones included unless `standing`. */
  holds(tenant: string, options?: { readonly standing?: boolean }): Promise<readonly LegalHold[]>;
  /** Releases a standing hold of the tenant; false when there is none of that id. */
  releaseHold(tenant: string, id: string, at: string, by: string): Promise<boolean>;
}
