/** Events as the API answers them (stored form, personal values opened or marked erased). */
export interface Personal {
  readonly fields: readonly string[];
  readonly commitment?: string;
  readonly sealed?: boolean;
  readonly erased?: boolean;
  readonly erased_at?: string;
  readonly erased_by?: string;
}

export interface StoredDecision {
  readonly id: string;
  readonly seq: number;
  readonly type: 'decision';
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly model: {
    readonly name: string;
    readonly version: string;
    readonly uri?: string;
    readonly digest?: string;
  };
  readonly prediction: {
    readonly label?: unknown;
    readonly score?: number;
    readonly value?: unknown;
  };
  readonly confidence?: number;
  readonly rationale: {
    readonly summary: string;
    readonly reasons?: readonly {
      readonly code: string;
      readonly weight?: number;
      readonly detail?: string;
    }[];
    readonly policy?: { readonly name: string; readonly version: string };
    readonly method?: string;
  };
  readonly input?: {
    readonly ref?: string;
    readonly digest?: string;
    readonly features?: Readonly<Record<string, unknown>>;
  };
  readonly subject?: { readonly id: string };
  readonly cohort?: Readonly<Record<string, string>>;
  readonly context?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly personal?: Personal;
}

export interface StoredAction {
  readonly id: string;
  readonly seq: number;
  readonly type: 'action';
  readonly decision_id: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly action: {
    readonly kind: string;
    readonly name: string;
    readonly actor: { readonly type: 'system' | 'human'; readonly id: string };
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export interface StoredOutcome {
  readonly id: string;
  readonly seq: number;
  readonly type: 'outcome';
  readonly decision_id: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly outcome: {
    readonly status: string;
    readonly label?: unknown;
    readonly value?: number;
    readonly source?: string;
    readonly action_id?: string;
  };
}

export interface StoredAnnotation {
  readonly id: string;
  readonly seq: number;
  readonly type: 'annotation';
  readonly decision_id: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly annotation: {
    readonly text: string;
    readonly tags?: readonly string[];
    readonly author?: string;
  };
}

export interface DecisionChain {
  readonly decision: StoredDecision;
  readonly actions: readonly StoredAction[];
  readonly outcomes: readonly StoredOutcome[];
  readonly annotations: readonly StoredAnnotation[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

export const ACTION_KINDS = [
  'recommendation',
  'automated',
  'human_review',
  'escalation',
  'override',
  'other',
] as const;
export const OUTCOME_STATUSES = ['success', 'failure', 'neutral', 'unknown'] as const;
