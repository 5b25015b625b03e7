SELECT requests.account_id, date_trunc('hour', requests.ts) AS hour, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s GROUP BY requests.account_id, date_trunc('hour', requests.ts)
