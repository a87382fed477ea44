document.getElementById("marker").textContent = "scripted";
