SELECT requests.account_id, date_trunc('hour', requests.ts) AS hour, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE GROUP BY requests.account_id, date_trunc('hour', requests.ts)
