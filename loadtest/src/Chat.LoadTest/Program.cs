Console.WriteLine("Chat.LoadTest");
