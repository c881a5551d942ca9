import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { ApiError, messageOf, type Api } from "./api";
import { errorsByComponent } from "./design";
import type { Design, SaveErrors } from "./types";

export type SaveState = "saved" | "saving" | "error" | "conflict";
interface Options {
  api: Api;
  projectId: number;
  designRef: RefObject<Design | null>;
  readOnly: boolean;
  onSaved?: (revision: number, created?: boolean) => void;
}

const NO_ERRORS: SaveErrors = { byComponent: {}, byConnection: {}, byGroup: {}, general: [] };
export const AUTOSAVE_DELAY_MS = 800;

// Saves the design a moment after each change with If-Match, one request at a time. A 412 stops saving and
// raises a conflict until the person chooses; a 400 keeps the errors for the fields they name.
export function useAutosave({ api, projectId, designRef, readOnly, onSaved }: Options) {
  const etag = useRef<string | null>(null);
  const base = useRef<Design | null>(null); // the document the server has at `etag`, as this editor last saw or sent it
  const version = useRef(0); // bumped on each change
  const savedVersion = useRef(0);
  const inFlight = useRef(false);
  const conflictRef = useRef(false);
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<SaveState>("saved");
  const [conflict, setConflict] = useState(false);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [failure, setFailure] = useState("");
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const flush = useCallback(async (): Promise<void> => {
    const sent = designRef.current;
    if (inFlight.current || conflictRef.current || readOnly || !sent) return;
    const target = version.current;
    if (target === savedVersion.current) return;
    inFlight.current = true;
    setState("saving");
    try {
      const { data, etag: newEtag } = await api.saveDesign(projectId, sent, etag.current);
      etag.current = newEtag;
      base.current = sent;
      savedVersion.current = target;
      setErrors(NO_ERRORS);
      setFailure("");
      onSavedRef.current?.(data.revision.number, data.created);
    } catch (error) {
      inFlight.current = false;
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 412) {
        conflictRef.current = true;
        setConflict(true);
        setState("conflict");
      } else if (error instanceof ApiError && status === 400) {
        savedVersion.current = target; // the same document would fail again; wait for the next change
        setErrors(errorsByComponent(error.body?.error?.details, sent));
        setFailure(error.message);
        setState("error");
      } else {
        setFailure(messageOf(error) || "The design could not be saved.");
        setState("error");
      }
      return;
    }
    inFlight.current = false;
    if (version.current !== savedVersion.current) flush();
    else setState("saved");
  }, [api, projectId, designRef, readOnly]);

  useEffect(() => {
    if (!tick) return undefined;
    const timer = setTimeout(flush, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [tick, flush]);

  return {
    state,
    conflict,
    errors,
    failure,
    etag,
    base,
    // A change to save soon.
    changed() {
      version.current += 1;
      if (!conflictRef.current) setState("saving");
      setTick((t) => t + 1);
    },
    // The loaded or reloaded head: nothing to save.
    loaded(newEtag: string | null) {
      etag.current = newEtag;
      base.current = designRef.current;
      savedVersion.current = version.current;
      conflictRef.current = false;
      setConflict(false);
      setErrors(NO_ERRORS);
      setState("saved");
    },
    // Keep mine on top: save the local document (theirs merged with mine) on the newest revision.
    rebase(newEtag: string | null) {
      etag.current = newEtag;
      conflictRef.current = false;
      setConflict(false);
      if (version.current === savedVersion.current) version.current += 1;
      flush();
    },
    retry() {
      if (version.current === savedVersion.current) version.current += 1;
      flush();
    },
  };
}
