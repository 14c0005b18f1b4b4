Console.WriteLine("TradingHost: not implemented yet");
return 0;
