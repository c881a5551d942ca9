import { useCallback, useMemo, useRef, useState } from "react";
import type { Api } from "./api";
import type { Comment, Finding } from "./types";

// Review findings by the components they name.
export function findingsByComponent(list: Finding[]): Record<string, Finding[]> {
  const by: Record<string, Finding[]> = {};
  for (const f of list) for (const id of f.components || []) (by[id] ||= []).push(f);
  return by;
}

// How many open (unresolved) review comments each component has.
export function openCommentsByComponent(comments: Comment[]): Record<string, number> {
  const by: Record<string, number> = {};
  for (const c of comments) if (c.component && !c.resolved) by[c.component] = (by[c.component] || 0) + 1;
  return by;
}

// Review findings of a revision (after each save) and the review comments of the project. Both are
// advisory: the canvas works without them, so a failed load is left quiet.
export function useReview({ api, projectId }: { api: Api; projectId: number }) {
  const [findings, setFindings] = useState<{ revision: number | null; list: Finding[] }>({ revision: null, list: [] });
  const [comments, setComments] = useState<Comment[]>([]);
  const ticket = useRef(0);

  const loadFindings = useCallback(
    async (number: number | null) => {
      const mine = ++ticket.current;
      try {
        const { data } = await api.findings(projectId, number);
        if (mine === ticket.current) setFindings({ revision: number, list: data });
      } catch {
        /* advisory */
      }
    },
    [api, projectId],
  );
  const loadComments = useCallback(async () => {
    try {
      const { data } = await api.comments(projectId);
      setComments(data);
    } catch {
      /* advisory */
    }
  }, [api, projectId]);
  const reply = async (comment: Comment, text: string) => {
    await api.reply(projectId, comment.id, text);
    await loadComments();
  };
  const resolve = async (comment: Comment, resolved: boolean) => {
    await api.resolve(projectId, comment.id, resolved);
    await loadComments();
  };

  const findingsById = useMemo(() => findingsByComponent(findings.list), [findings]);
  const openCommentsById = useMemo(() => openCommentsByComponent(comments), [comments]);
  return { findings, comments, findingsById, openCommentsById, loadFindings, loadComments, reply, resolve };
}
