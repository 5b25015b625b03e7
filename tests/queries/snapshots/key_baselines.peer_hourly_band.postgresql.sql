SELECT per_key.hour, percentile_cont(%(quantile_1)s) WITHIN GROUP (ORDER BY per_key.calls) AS p50, percentile_cont(%(quantile_2)s) WITHIN GROUP (ORDER BY per_key.calls) AS p90, percentile_cont(%(quantile_3)s) WITHIN GROUP (ORDER BY per_key.calls) AS p99, count(*) AS active_keys 
FROM (SELECT date_trunc('hour', requests.ts) AS hour, requests.api_key_id AS api_key_id, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR GROUP BY date_trunc('hour', requests.ts), requests.api_key_id) AS per_key GROUP BY per_key.hour ORDER BY per_key.hour
