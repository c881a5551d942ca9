import { useEffect, useState } from "react";
import { threeWayMerge } from "./merge.js";
import { etagNumber } from "./revisionView.js";

// A save refused because a teammate saved first (412): their revision, how mine goes on top of it
// (against the revision both started from), and the two ways out. Either way mine stays one undo away.
// `headLoaded(doc, etag)` takes their revision as the head; `replace(doc)` puts a document on screen.
export function useConflict({ api, projectId, save, designRef, replace, setHead, say }) {
  const [merge, setMerge] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!save.conflict) {
      setMerge(null);
      return undefined;
    }
    let current = true;
    api.design(projectId).then(
      (head) => {
        if (!current) return;
        const result = threeWayMerge(save.base.current, designRef.current, head.data);
        setMerge({ theirs: head.data, etag: head.etag, number: etagNumber(head.etag), result });
      },
      (error) => current && say(`Could not read their revision: ${error.message}`),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.conflict]);

  const reloadTheirs = async () => {
    setBusy(true);
    try {
      const head = await api.design(projectId);
      replace(head.data);
      setHead(etagNumber(head.etag));
      save.loaded(head.etag);
      say("Showing the newest revision; Ctrl+Z brings your version back.");
    } catch (error) {
      say(`Could not reload: ${error.message}`);
    } finally {
      setBusy(false);
    }
  };
  const keepMine = (choices) => {
    replace(merge.result.merged(choices));
    setHead(merge.number, { follow: false });
    save.rebase(merge.etag);
  };

  return { merge, busy, reloadTheirs, keepMine };
}
