SELECT requests.account_id, coalesce(requests.capability, %(param_1)s) AS capability, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s GROUP BY requests.account_id, coalesce(requests.capability, %(param_1)s)
