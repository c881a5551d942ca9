import { useEffect, useState } from "react";

export const NOTICE_MS = 6000;

// A notice (what an action did, or why it could not) that goes away by itself.
export function useNotice(): [string, (text: string) => void] {
  const [notice, setNotice] = useState("");
  useEffect(() => {
    if (!notice) return undefined;
    const timer = setTimeout(() => setNotice(""), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  return [notice, setNotice];
}
