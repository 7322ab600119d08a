/**
 * The sentences this function itself speaks (its fallbacks; everything else the caller hears comes from SQL's
 * catalog). One entry per language, same keys in each: adding a language is one entry here and its tests.
 *
 * The language of a call is the one SQL reported in its last successful answer for that call, assistant or line (see
 * `LanguageMemory`); before any answer, English.
 */

export const SPOKEN = {
  en: {
    rpc_failure: "I couldn't reach the booking system, please try again.",
    invalid_arguments: "I couldn't read the details of that request, please try again.",
    too_many_tool_calls: "That was too many requests at once. Please ask for one thing at a time.",
    tool_call_conflict: "Two different requests came under one id. Please ask for one thing at a time.",
    routing_failure: "Sorry, this number is not available right now.",
    transfer_connecting: "One moment, I'm transferring you to a member of our team.",
    transfer_unavailable: "I'm sorry, I can't transfer you to a person right now.",
  },
  es: {
    rpc_failure: "No he podido conectar con el sistema de citas, ¿lo intentamos de nuevo?",
    invalid_arguments: "No he entendido bien los datos de la solicitud, ¿me los repite, por favor?",
    too_many_tool_calls: "Son demasiadas peticiones a la vez. Vamos a hacerlas de una en una, por favor.",
    tool_call_conflict: "Llegaron dos peticiones distintas con un mismo identificador. Vamos de una en una, por favor.",
    routing_failure: "Lo siento, este número no está disponible en este momento.",
    transfer_connecting: "Un momento, le paso con una persona de nuestro equipo.",
    transfer_unavailable: "Lo siento, ahora mismo no puedo pasarle con una persona.",
  },
} as const;

export type SpokenLanguage = keyof typeof SPOKEN;
export type SpokenCatalog = (typeof SPOKEN)[SpokenLanguage];

/** The catalog for a language code (`es`, `es-MX`, `ES`); English for anything the catalog lacks. */
export function spoken(language: string | null | undefined): SpokenCatalog {
  const base = (language ?? "").trim().toLowerCase().split("-")[0];
  return Object.hasOwn(SPOKEN, base) ? SPOKEN[base as SpokenLanguage] : SPOKEN.en;
}

/** Entries kept before the oldest is forgotten: bounds memory whatever the traffic. */
export const LANGUAGE_MEMORY_LIMIT = 5000;

/** Who answered about a call: its organization, and whether SQL tied the call to it (found it by its call id). */
export interface CallAnswerer {
  organizationId: string | null;
  ownsCall: boolean;
  /** SQL found the organization by the call's line: the answer's language is the line's. */
  byLine?: boolean;
}

/** The answerer an RPC's return names. */
export const answererOf = (ret: { organization_id: string | null; resolved_by: string | null }): CallAnswerer => ({
  organizationId: ret.organization_id,
  ownsCall: ret.resolved_by === "call_id",
  ...(ret.resolved_by === "phone_number" ? { byLine: true } : {}),
});

/** The keys a language is remembered under: the call, its assistant, its line. */
export interface LanguageKeys {
  callId: string | null;
  assistantId: string | null;
  phoneNumberId?: string | null;
  phoneNumber?: string | null;
}

/** A line's keys: Vapi's line id and its number. */
type LineKeys = Pick<LanguageKeys, "phoneNumberId" | "phoneNumber">;

interface Entry {
  language: string;
  switched?: boolean;
  organizationId?: string;
  /** SQL tied the call to this organization (its start, or an answer found by call id). */
  owned?: boolean;
}

/**
 * The last language SQL reported per call id; per assistant id the language SQL reported at a call's START (the
 * assistant-request it routed, the event that created the call's row), else — on an instance that saw no start — the
 * first answer of a call not known to have switched (a tenant whose Vapi sends only tool calls is not answered in
 * English): one caller switching to Spanish must not make the assistant's other calls Spanish, and a call start
 * corrects what a switch this instance never saw taught it; per line the language of the calls routed on it, else —
 * as for an assistant — of the first call SQL found by the line (whose message named no assistant of its). In
 * insertion order (a Map), the oldest entry evicted past the limit. Only a hint for the function's own fallbacks: SQL
 * decides every other sentence.
 */
export class LanguageMemory {
  /**
   * A call's entry also says whether the call switched language and whose call it is. Once SQL has tied the call to
   * an organization, another organization's answer under the same call id (a forged or misrouted message) never
   * changes what the call's own caller hears; until then the latest answer counts.
   */
  readonly #entries = new Map<string, Entry>();
  constructor(readonly limit = LANGUAGE_MEMORY_LIMIT) {}

  /** The call's entry as this answerer may see and write it: none when it is another organization's own. */
  #callEntry(callId: string, by: CallAnswerer): { entry: Entry | undefined; foreign: boolean } {
    const entry = this.#entries.get(`call:${callId}`);
    const other = !!entry?.organizationId && !!by.organizationId && entry.organizationId !== by.organizationId;
    if (!other) return { entry, foreign: false };
    return { entry: undefined, foreign: !!entry?.owned && !by.ownsCall };
  }

  #setCall(callId: string, language: string, by: CallAnswerer, prior: Entry | undefined, switched?: boolean): void {
    this.#set(`call:${callId}`, {
      language,
      ...(switched ? { switched } : {}),
      ...(by.organizationId ? { organizationId: by.organizationId } : {}),
      ...(by.ownsCall || prior?.owned ? { owned: true } : {}),
    });
  }

  /**
   * An answer about a call: its language now. Without a call id, it can only be the assistant's own (found by the
   * call's line: the line's); with one, it is theirs too when none is known and the call is not known to have switched.
   */
  remember(keys: LanguageKeys, language: string | null | undefined, by: CallAnswerer): void {
    if (!language) return;
    const { entry, foreign } = keys.callId ? this.#callEntry(keys.callId, by) : { entry: undefined, foreign: false };
    const switched = entry?.switched;
    if (keys.callId && !foreign) this.#setCall(keys.callId, language, by, entry, switched);
    // Found by its line, the answer speaks the line's language, not that of an assistant the message named.
    const owners = by.byLine ? lineEntries(keys) : keys.assistantId ? [`assistant:${keys.assistantId}`] : [];
    for (const owner of owners) {
      if (!keys.callId || (!this.#entries.has(owner) && !switched)) this.#set(owner, { language });
    }
  }

  /** A language the caller switched to: the call's alone, never its assistant's. */
  rememberSwitch(keys: { callId: string | null }, language: string | null | undefined, by: CallAnswerer): void {
    if (!language || !keys.callId) return;
    const { entry, foreign } = this.#callEntry(keys.callId, by);
    if (!foreign) this.#setCall(keys.callId, language, by, entry, true);
  }

  /**
   * An answer at a call's start (SQL made the call this organization's), before any switch: the call's language and
   * its assistant's own — or, when SQL found the organization by the call's line, the line's (the assistant the
   * message named is none of the organization's).
   */
  rememberCallStart(
    keys: LanguageKeys,
    language: string | null | undefined,
    organizationId: string | null,
    byLine = false,
  ): void {
    if (!language) return;
    if (keys.callId) this.#setCall(keys.callId, language, { organizationId, ownsCall: true }, undefined);
    if (byLine) this.rememberLine(keys, language);
    else if (keys.assistantId) this.#set(`assistant:${keys.assistantId}`, { language });
  }

  /**
   * A call routed on a line (assistant-request): the line's language, so that a later call on it whose routing cannot
   * reach the database hears the refusal in the language its callers hear.
   */
  rememberLine(keys: LineKeys, language: string | null): void {
    if (!language) return;
    for (const line of lineEntries(keys)) this.#set(line, { language });
  }

  /** The line's language, else null (English). */
  recallLine(keys: LineKeys): string | null {
    for (const line of lineEntries(keys)) {
      const language = this.#entries.get(line)?.language;
      if (language) return language;
    }
    return null;
  }

  #set(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** The call's language, else the assistant's, else the line's, else null (English). */
  recall(keys: LanguageKeys): string | null {
    return (keys.callId && this.#entries.get(`call:${keys.callId}`)?.language) ||
      (keys.assistantId && this.#entries.get(`assistant:${keys.assistantId}`)?.language) ||
      this.recallLine(keys);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The entries a line's language is kept under: by Vapi's line id, and by its number. */
function lineEntries(keys: LineKeys): string[] {
  return [keys.phoneNumberId, keys.phoneNumber].filter((key) => !!key).map((key) => `line:${key}`);
}
