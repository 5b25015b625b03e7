SELECT per_key.hour, percentile_cont(%(quantile_1)s) WITHIN GROUP (ORDER BY per_key.calls) AS p50, percentile_cont(%(quantile_2)s) WITHIN GROUP (ORDER BY per_key.calls) AS p90, percentile_cont(%(quantile_3)s) WITHIN GROUP (ORDER BY per_key.calls) AS p99, count(*) AS active_keys 
FROM (SELECT rollup_key_hours.hour AS hour, rollup_key_hours.api_key_id AS api_key_id, CAST(coalesce(sum(rollup_key_hours.calls), %(coalesce_1)s::INTEGER) AS BIGINT) AS calls 
FROM rollup_key_hours 
WHERE rollup_key_hours.hour >= %(hour_1)s::TIMESTAMP WITH TIME ZONE AND rollup_key_hours.hour < %(hour_2)s::TIMESTAMP WITH TIME ZONE AND rollup_key_hours.model = %(model_1)s::VARCHAR GROUP BY rollup_key_hours.hour, rollup_key_hours.api_key_id) AS per_key GROUP BY per_key.hour ORDER BY per_key.hour
