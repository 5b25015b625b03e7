SELECT requests.account_id, CAST(floor(CAST(epoch_us(requests.ts) AS DOUBLE) / 1e6 / %(param_1)s) AS BIGINT) AS bucket, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s GROUP BY requests.account_id, CAST(floor(CAST(epoch_us(requests.ts) AS DOUBLE) / 1e6 / %(param_1)s) AS BIGINT)
