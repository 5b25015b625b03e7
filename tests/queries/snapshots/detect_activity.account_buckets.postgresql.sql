SELECT requests.account_id, CAST(floor(CAST(EXTRACT(EPOCH FROM requests.ts) AS DOUBLE PRECISION) / CAST(%(param_1)s::INTEGER AS NUMERIC)) AS BIGINT) AS bucket, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE GROUP BY requests.account_id, CAST(floor(CAST(EXTRACT(EPOCH FROM requests.ts) AS DOUBLE PRECISION) / CAST(%(param_1)s::INTEGER AS NUMERIC)) AS BIGINT)
