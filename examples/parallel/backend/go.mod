module example.com/slipway/backend

go 1.19
