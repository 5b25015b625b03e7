SELECT per_key.hour, quantile_cont(per_key.calls, %(quantile_1)s) AS p50, quantile_cont(per_key.calls, %(quantile_2)s) AS p90, quantile_cont(per_key.calls, %(quantile_3)s) AS p99, count(*) AS active_keys 
FROM (SELECT date_trunc('hour', requests.ts) AS hour, requests.api_key_id AS api_key_id, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s GROUP BY date_trunc('hour', requests.ts), requests.api_key_id) AS per_key GROUP BY per_key.hour ORDER BY per_key.hour
