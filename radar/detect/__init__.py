"""Detection: baselines, the account graph, clusters, campaigns and risk scores with reasons.

`score(engine)` computes one run over a time window and stores it (score_runs, account_scores,
key_scores, clusters, cluster_links, campaigns) under one run id, in one transaction.
"""

from __future__ import annotations

from radar.detect.run import ScoreRun, score

__all__ = ["ScoreRun", "score"]
