SELECT s_ranked.band, CAST(s_ranked.bucket AS VARCHAR) AS value, s_ranked.account_id, s_ranked.uses, s_ranked.n_accounts 
FROM (SELECT s_kept.band AS band, s_kept.bucket AS bucket, s_kept.account_id AS account_id, s_kept.uses AS uses, s_kept.n_accounts AS n_accounts, row_number() OVER (PARTITION BY s_kept.account_id ORDER BY s_kept.uses DESC, s_kept.band, s_kept.bucket) AS rank 
FROM (SELECT s_counted.band AS band, s_counted.bucket AS bucket, s_counted.account_id AS account_id, s_counted.uses AS uses, s_counted.n_accounts AS n_accounts 
FROM (SELECT s_used.band AS band, s_used.bucket AS bucket, s_used.account_id AS account_id, s_used.uses AS uses, count(*) OVER (PARTITION BY s_used.band, s_used.bucket) AS n_accounts 
FROM (SELECT %(param_1)s AS band, requests.similar_1 AS bucket, requests.account_id AS account_id, count(*) AS uses 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.similar_1 IS NOT NULL GROUP BY requests.similar_1, requests.account_id UNION ALL SELECT %(param_2)s AS band, requests.similar_2 AS bucket, requests.account_id AS account_id, count(*) AS uses 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.similar_2 IS NOT NULL GROUP BY requests.similar_2, requests.account_id UNION ALL SELECT %(param_3)s AS band, requests.similar_3 AS bucket, requests.account_id AS account_id, count(*) AS uses 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.similar_3 IS NOT NULL GROUP BY requests.similar_3, requests.account_id UNION ALL SELECT %(param_4)s AS band, requests.similar_4 AS bucket, requests.account_id AS account_id, count(*) AS uses 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.similar_4 IS NOT NULL GROUP BY requests.similar_4, requests.account_id) AS s_used) AS s_counted 
WHERE s_counted.n_accounts >= %(n_accounts_1)s AND s_counted.n_accounts <= %(n_accounts_2)s) AS s_kept) AS s_ranked 
WHERE s_ranked.rank <= %(rank_1)s
