"""Detection: baselines, the account graph, clusters, campaigns and risk scores with reasons.

`score(engine)` computes one run over a time window and stores it (score_runs, account_scores,
key_scores, clusters, cluster_links, campaigns) under one run id, in one transaction.

How a run decides, in order:
1. features: per-key aggregates in the warehouse (one scan; accounts are sums of their keys), turned into
   one-sided robust evidence against the population (median/MAD, light entities shrunk to the median);
2. graph: accounts share rare attribute values (payment instrument, sign-up prefix, an e-mail domain's
   burst day, UA + system prompt, IP prefix; IDF-weighted, commons dropped); two accounts are linked
   only by two independent coincidences (or a shared card), groups sharing several values merge, Leiden
   (seeded) cuts the rest, and an extractive account linked to nobody joins the controlled group whose rare
   prompts it sends;
3. clusters: hydra evidence (size, volume spread, shared control, low verification, sign-up burst, not one
   organisation) times extraction evidence (reasoning elicitation, shared templates, capability focus,
   refusals, output harvest, anonymising addresses);
4. accounts and keys inherit their cluster's risk in proportion to how much they behave like it, keys and
   accounts outside carrying a campaign's own templates are lifted by that share (interleaving), analyst
   feedback marks allowlisted/dismissed entities and lifts ban-evasion lineage.
"""

from __future__ import annotations

from radar.detect.run import ScoreRun, score

__all__ = ["ScoreRun", "score"]
